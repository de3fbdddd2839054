/// Writes JSON objects and arrays straight to bytes, inserting commas itself.
///
/// ```swift
/// var json = JSONBuilder()
/// json.object {
///     $0.field("index", "NIFTY")
///     $0.field("pcr", 0.93)
/// }
/// ```
public struct JSONBuilder {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {}

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func object(_ body: (inout JSONBuilder) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array(_ body: (inout JSONBuilder) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"name":` inside an object; the value must follow.
    public mutating func key(_ name: String) {
        separate()
        JSONWriter.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func value(_ text: String) {
        separate()
        JSONWriter.appendString(text, to: &bytes)
    }

    public mutating func value(_ number: Double) {
        separate()
        JSONWriter.appendNumber(number, to: &bytes)
    }

    public mutating func value(_ integer: Int64) {
        separate()
        bytes.append(contentsOf: String(integer).utf8)
    }

    public mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Paise as a JSON number of rupees with at most two decimals (12345 → 123.45).
    public mutating func rupees(_ paise: Int64) {
        separate()
        StoreCSV.appendRupees(paise, to: &bytes)
    }

    public mutating func field(_ name: String, _ text: String) { key(name); value(text) }
    public mutating func field(_ name: String, _ number: Double) { key(name); value(number) }
    public mutating func field(_ name: String, _ integer: Int64) { key(name); value(integer) }
    public mutating func field(_ name: String, _ integer: Int) { key(name); value(Int64(integer)) }
    public mutating func field(_ name: String, _ flag: Bool) { key(name); value(flag) }
    public mutating func field(_ name: String, rupees paise: Int64) { key(name); rupees(paise) }

    /// An optional number: `null` when absent or not finite.
    public mutating func field(_ name: String, optional number: Double?) {
        key(name)
        if let number, number.isFinite { value(number) } else { null() }
    }
}
