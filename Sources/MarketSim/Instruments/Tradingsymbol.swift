/// Kite tradingsymbols for index derivatives (kite-nse-facts.md §4.4).
///
/// Monthly option `NIFTY25DEC24000CE`; weekly option `NIFTY25D1624000CE` (month 1–9, O, N, D; day two
/// digits); future `NIFTY25DECFUT`. Whole strikes print without decimals.
public enum Tradingsymbol {
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let weeklyMonthCodes = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "O", "N", "D"]

    /// The option symbol for `name`, expiry, strike (paise) and right.
    public static func option(
        name: String, expiry: TradingDate, isMonthly: Bool, strikePaise: Int64, right: OptionRight
    ) -> String {
        let (year, month, day) = expiry.components
        let yy = TradingDate.pad(year % 100, 2)
        let date = isMonthly
            ? yy + monthNames[month - 1] : yy + weeklyMonthCodes[month - 1] + TradingDate.pad(day, 2)
        return name + date + strikeText(strikePaise) + right.rawValue
    }

    /// The futures symbol for `name` expiring in `expiry`'s month.
    public static func future(name: String, expiry: TradingDate) -> String {
        let (year, month, _) = expiry.components
        return name + TradingDate.pad(year % 100, 2) + monthNames[month - 1] + "FUT"
    }

    /// A strike in rupees: `24000` when whole, else with its paise trimmed (`24000.5`).
    public static func strikeText(_ paise: Int64) -> String {
        let rupees = paise / 100
        let fraction = paise % 100
        if fraction == 0 { return String(rupees) }
        var text = TradingDate.pad(Int(fraction), 2)
        if text.hasSuffix("0") { text.removeLast() }
        return String(rupees) + "." + text
    }
}

/// Call (`CE`) or put (`PE`).
public enum OptionRight: String, Sendable, Hashable, CaseIterable {
    case call = "CE"
    case put = "PE"
}
