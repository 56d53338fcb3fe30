import FuzzDriver

runFuzzer { fuzzScenarios($0, $1) }
