import Testing

@testable import Platform

@Suite struct AnalyticsCSVTests {
    @Test("greeks echoes the input columns and appends six full-precision results")
    func greeksRows() {
        let outcome = AnalyticsCSV.greeks(
            "C,100,100,0.5,0.05,0.01,0.2\n", model: .blackScholesMerton)
        let lines = outcome.output.split(separator: "\n")
        #expect(lines.first == "kind,S,K,T,r,q,sigma,price,delta,gamma,vega,theta,rho")
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == 13)
        #expect(fields.prefix(7).joined(separator: ",") == "C,100,100,0.5,0.05,0.01,0.2")
        let expected = BlackScholesMerton.greeks(
            .call, spot: 100, strike: 100, years: 0.5, rate: 0.05, dividendYield: 0.01,
            volatility: 0.2)
        #expect(Double(fields[7]) == expected.price)
        #expect(Double(fields[12]) == expected.rho)
        #expect(outcome.problems.isEmpty)
    }

    @Test("a header maps columns by name in any order, as in the golden files")
    func headerByName() {
        let input = "sigma,T_years,kind,K,S,q,r\n0.2,0.5,C,100,100,0.01,0.05\n"
        let outcome = AnalyticsCSV.greeks(input, model: .blackScholesMerton)
        #expect(outcome.output.split(separator: "\n")[1].hasPrefix("C,100,100,0.5,0.05,0.01,0.2,"))
        let missing = AnalyticsCSV.impliedVolatility("kind,S,K,T,r,q\n", model: .black76)
        #expect(missing.fatal)
        #expect(missing.problems.first?.contains("no 'price' column") == true)
    }

    @Test("malformed rows are reported by line and the others still processed")
    func malformedRows() {
        let input =
            "C,100,100,0.5,0.05,0,0.2\nX,100,100,0.5,0.05,0,0.2\nC,100,abc,0.5,0.05,0,0.2\n\nP,100,100,0.5,0.05,0\nP,-1,100,0.5,0.05,0,0.2\nP,100,100,0.5,0.05,0,0.2\n"
        let outcome = AnalyticsCSV.greeks(input, model: .blackScholesMerton)
        #expect(outcome.output.split(separator: "\n").count == 3)
        #expect(outcome.problems.count == 4)
        #expect(outcome.problems[0].hasPrefix("line 2: kind"))
        #expect(outcome.problems[1].hasPrefix("line 3: K"))
        #expect(outcome.problems[2].hasPrefix("line 5: expected"))
        #expect(outcome.problems[3].hasPrefix("line 6: S must be > 0"))
    }

    @Test("iv writes sigma and ok, or an empty sigma and the typed reason")
    func impliedRows() {
        let input =
            "kind,S,K,T,r,q,price\nC,100,100,0.5,0.05,0,6.5\nP,100,120,0.1,0.05,0,0.3\nC,100,100,0,0.05,0,1\n"
        let lines = AnalyticsCSV.impliedVolatility(input, model: .blackScholesMerton).output.split(
            separator: "\n")
        #expect(lines[0] == "kind,S,K,T,r,q,price,sigma,status")
        #expect(lines[1].hasSuffix(",ok"))
        #expect(lines[2] == "P,100,120,0.1,0.05,0,0.3,,below_intrinsic")
        #expect(lines[3] == "C,100,100,0,0.05,0,1,,invalid_input")
    }

    @Test("%.17g output reads back as the same double")
    func roundTripFormat() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let value = Double(bitPattern: random.next() >> 2)
            #expect(Double(AnalyticsCSV.format(value)) == value)
        }
    }
}

extension AnalyticsCSVTests {
    @Test("a byte-order mark, CRLF line ends and spaces around fields are tolerated")
    func lenientInput() {
        let input = "\u{FEFF}kind, S ,K,T,r,q,sigma\r\nP , 100,100,0.5,0.05,0,0.2\r\n"
        let outcome = AnalyticsCSV.greeks(input, model: .blackScholesMerton)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.output.split(separator: "\n")[1].hasPrefix("P,100,100,0.5,0.05,0,0.2,"))
    }
}
