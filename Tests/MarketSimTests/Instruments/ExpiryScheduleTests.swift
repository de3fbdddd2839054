import Testing

@testable import MarketSim

@Suite struct ExpiryScheduleTests {
    let spec = MarketSpec.standard

    func date(_ text: String) -> TradingDate { TradingDate(iso: text)! }

    @Test("for 300 generated (date, index) cases every listed expiry is a trading day on or after the date, on its rule's weekday or the trading day before a holiday on it")
    func expiriesFallOnTradingDays() {
        let random = CounterRandom(seed: 11)
        for i in 0..<300 {
            let date = MarketCases.date(random, i)
            let index = spec.indices[i % spec.indices.count]
            let listed = spec.listedExpiries(index, on: date)
            #expect(listed.count >= index.monthliesListed, "\(index.name) on \(date)")
            #expect(listed == listed.sorted())
            for expiry in listed {
                #expect(spec.calendar.isTradingDay(expiry.date), "\(index.name) \(expiry.date) on \(date)")
                #expect(expiry.date >= date)
                // Either on a rule weekday, or the nominal weekday (a holiday) is within the next days.
                var nominal = expiry.date
                var onRule = false
                for _ in 0..<5 {
                    if let weekly = index.weeklyExpiryNominal(weekOf: nominal.mondayOfWeek), weekly == nominal { onRule = true }
                    if let monthly = index.monthlyExpiryNominal(monthOf: nominal.firstOfMonth(addingMonths: 0)),
                        monthly == nominal { onRule = true }
                    if onRule { break }
                    nominal = nominal.adding(days: 1)
                }
                #expect(onRule, "\(index.name) expiry \(expiry.date) listed on \(date) is on no rule weekday")
                if expiry.date != nominal {
                    #expect(!spec.calendar.isTradingDay(nominal), "\(expiry.date) moved although \(nominal) trades")
                }
            }
        }
    }

    @Test("NSE expiries move from Thursday to Tuesday for contracts expiring from 1 Sep 2025")
    func thursdayToTuesday() {
        let nifty = spec.index(named: "NIFTY")!
        let before = spec.listedExpiries(nifty, on: date("2025-08-18"))
        #expect(before.first?.date == date("2025-08-21"))
        #expect(before.contains { $0.date == date("2025-08-28") && $0.isMonthly })
        #expect(before.contains { $0.date == date("2025-09-02") && !$0.isMonthly })
        #expect(before.contains { $0.date == date("2025-09-30") && $0.isMonthly })
        let after = spec.listedExpiries(nifty, on: date("2025-12-10"))
        #expect(after.map(\.date).prefix(3) == [date("2025-12-16"), date("2025-12-23"), date("2025-12-30")])
        #expect(after.first { $0.date == date("2025-12-30") }?.isMonthly == true)
    }

    @Test("BANKNIFTY weeklies end with the 13 Nov 2024 expiry; afterwards only monthlies are listed")
    func bankNiftyWeekliesEnd() {
        let bank = spec.index(named: "BANKNIFTY")!
        let early = spec.listedExpiries(bank, on: date("2024-11-05"))
        #expect(early.map(\.date).prefix(2) == [date("2024-11-06"), date("2024-11-13")])
        let late = spec.listedExpiries(bank, on: date("2024-11-14"))
        #expect(late.allSatisfy { $0.isMonthly })
        #expect(late.first?.buckets == ["current_month"])
    }

    @Test("a holiday on the expiry weekday moves the expiry to the previous trading day (24 Nov 2026 → 23 Nov)")
    func holidayMovesExpiry() {
        let nifty = spec.index(named: "NIFTY")!
        let listed = spec.listedExpiries(nifty, on: date("2026-11-20"))
        #expect(listed.first?.date == date("2026-11-23"))
        #expect(listed.first?.buckets == ["current_week", "current_month"])
    }

    @Test("lot sizes follow the dated revisions by expiry")
    func lotSizes() {
        let nifty = spec.index(named: "NIFTY")!
        let bank = spec.index(named: "BANKNIFTY")!
        #expect(nifty.lotSize(expiry: date("2024-03-28")) == 50)
        #expect(nifty.lotSize(expiry: date("2024-06-27")) == 25)
        #expect(nifty.lotSize(expiry: date("2025-06-26")) == 75)
        #expect(nifty.lotSize(expiry: date("2026-01-27")) == 65)
        #expect(bank.lotSize(expiry: date("2025-07-31")) == 35)
        #expect(bank.lotSize(expiry: date("2026-02-24")) == 30)
    }
}
