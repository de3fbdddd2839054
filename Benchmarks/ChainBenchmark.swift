/// Placeholder until chain analytics land: no figures.
enum ChainBenchmark {
    static func figures() -> [(String, String)] { [] }
}
