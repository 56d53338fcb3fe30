import FuzzDriver

runFuzzer { fuzzDefinitions($0, $1) }
