import FuzzDriver

runFuzzer { fuzzEvents($0, $1) }
