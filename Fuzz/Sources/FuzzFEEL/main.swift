import FuzzDriver

runFuzzer { fuzzFEEL($0, $1) }
