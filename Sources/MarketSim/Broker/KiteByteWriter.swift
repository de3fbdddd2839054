/// A bounds-checked-once byte writer over preallocated memory, for the quote route's hot loop.
///
/// `[UInt8].append` checks uniqueness and capacity on every byte; the quote route writes about
/// 900 bytes per instrument, so it reserves an upper bound once (`KiteByteWriter.build`) and
/// writes through a raw pointer. Each writer method documents its byte bound; callers size the
/// buffer from those bounds and a precondition catches any miscount.
public struct KiteByteWriter {
    @usableFromInline var pointer: UnsafeMutablePointer<UInt8>
    @usableFromInline var position = 0
    @usableFromInline let capacity: Int
    /// The IST day (days since the epoch) last written and its 10 date bytes.
    @usableFromInline var cachedDay: Int64 = .min
    @usableFromInline var cachedStamp: (UInt64, UInt64, UInt32) = (0, 0, 0)
    /// Per timestamp slot: the epoch second last written and its 19 bytes (a response's quotes share
    /// the snapshot second, and liquid contracts' trade seconds repeat, so most stamps are a copy).
    @usableFromInline var stampSeconds: (Int64, Int64) = (.min, .min)
    @usableFromInline var stamps: ((UInt64, UInt64, UInt32), (UInt64, UInt64, UInt32)) = ((0, 0, 0), (0, 0, 0))

    @usableFromInline init(pointer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.pointer = pointer
        self.capacity = capacity
    }

    /// Bytes a number writer may store past the bytes it keeps (it writes 8 digits at once and
    /// advances by the digits it needs); `build` reserves them beyond `capacity`.
    public static let scratchBytes = 8

    /// Builds an array of at most `capacity` bytes by running `body` on a writer.
    @inlinable
    public static func build(capacity: Int, _ body: (inout KiteByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity + scratchBytes) { buffer, count in
            var writer = KiteByteWriter(pointer: buffer.baseAddress!, capacity: capacity)
            body(&writer)
            precondition(writer.position <= capacity, "wrote \(writer.position) bytes into \(capacity)")
            count = writer.position
        }
    }

    /// Bytes written so far.
    public var count: Int { position }

    @inlinable @inline(__always)
    public mutating func byte(_ value: UInt8) {
        pointer[position] = value
        position &+= 1
    }

    /// Writes a static ASCII fragment (its length).
    @inlinable @inline(__always)
    public mutating func raw(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        (pointer + position).update(from: text.utf8Start, count: length)
        position &+= length
    }

    /// Writes bytes verbatim.
    @inlinable
    public mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            (pointer + position).update(from: buffer.baseAddress!, count: buffer.count)
        }
        position += bytes.count
    }

    /// Writes bytes verbatim.
    @inlinable @inline(__always)
    public mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        (pointer + position).update(from: bytes.baseAddress!, count: bytes.count)
        position &+= bytes.count
    }

    /// "00" through "99": two digits per table read halves the divisions.
    @inlinable @inline(__always)
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// A non-negative integer (≤ 20 bytes; may store up to `scratchBytes` past them).
    @inlinable @inline(__always)
    public mutating func unsigned(_ value: UInt64) {
        position = KiteByteWriter.putUnsigned(value, at: pointer + position) - pointer
    }

    /// Decimal digits of `value` (≥ 1): log10 estimated from the bit length, corrected by one comparison.
    @inlinable @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        let bits = 64 &- (value | 1).leadingZeroBitCount
        let guess = (bits &* 1233) &>> 12
        return guess &+ (value >= powerOfTen(guess) ? 1 : 0)
    }

    /// 10^exponent for exponent in 0...19 (a switch the optimiser turns into a table).
    @inlinable @inline(__always)
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        case 18: 1_000_000_000_000_000_000
        default: 10_000_000_000_000_000_000
        }
    }

    /// A signed integer (≤ 20 bytes; may store up to `scratchBytes` past them).
    @inlinable @inline(__always)
    public mutating func int(_ value: Int64) {
        position = KiteByteWriter.putInt(value, at: pointer + position) - pointer
    }

    /// Paise as rupees, trailing fraction zeros dropped (≤ 24 bytes; may store up to
    /// `scratchBytes` past them); see `KiteJSON.appendPaise`.
    @inlinable @inline(__always)
    public mutating func paise(_ paise: Int64) {
        position = KiteByteWriter.putPaise(paise, at: pointer + position) - pointer
    }

    /// A JSON string literal (≤ 6 × UTF-8 length + 2 bytes).
    @inlinable
    public mutating func string(_ text: String) {
        var text = text
        let fast: Bool? = text.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            byte(0x22)
            (pointer + position).update(from: utf8.baseAddress!, count: utf8.count)
            position += utf8.count
            byte(0x22)
            return true
        }
        if fast == true { return }
        var bytes: [UInt8] = []
        KiteJSON.appendString(text, to: &bytes)
        raw(bytes)
    }

    /// `YYYY-MM-DD HH:MM:SS` in IST (19 bytes), copied when `slot` (0 or 1) last wrote the same second.
    ///
    /// Callers give each kind of time its own slot (a quote's snapshot time, its last trade time)
    /// so the two do not evict each other.
    @inlinable @inline(__always)
    public mutating func timestamp19(_ instant: KiteInstant, slot: Int) {
        let second = instant.secondsSinceEpoch
        let start = pointer + position
        if slot == 0 {
            if second != stampSeconds.0 {
                timestamp19(instant)
                position &-= 19
                stampSeconds.0 = second
                withUnsafeMutableBytes(of: &stamps.0) { $0.baseAddress!.copyMemory(from: start, byteCount: 19) }
                position &+= 19
                return
            }
            withUnsafeBytes(of: stamps.0) { UnsafeMutableRawPointer(start).copyMemory(from: $0.baseAddress!, byteCount: 19) }
        } else {
            if second != stampSeconds.1 {
                timestamp19(instant)
                position &-= 19
                stampSeconds.1 = second
                withUnsafeMutableBytes(of: &stamps.1) { $0.baseAddress!.copyMemory(from: start, byteCount: 19) }
                position &+= 19
                return
            }
            withUnsafeBytes(of: stamps.1) { UnsafeMutableRawPointer(start).copyMemory(from: $0.baseAddress!, byteCount: 19) }
        }
        position &+= 19
    }

    /// `YYYY-MM-DD HH:MM:SS` in IST (19 bytes); the date part is cached per IST day.
    @inlinable
    public mutating func timestamp19(_ instant: KiteInstant) {
        let local = instant.secondsSinceEpoch + KiteTime.istOffsetSeconds
        let day = KiteTime.floorDiv(local, 86_400)
        if day != cachedDay {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(10)
            KiteTime.appendDate(KiteDate(daysSinceEpoch: day), to: &bytes)
            cachedDay = day
            withUnsafeMutableBytes(of: &cachedStamp) { $0.copyBytes(from: bytes) }
        }
        withUnsafeBytes(of: cachedStamp) { stamp in
            (pointer + position).update(from: stamp.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 10)
        }
        // ` HH:MM:SS` as one byte and one 8-byte store.
        let clock = KiteByteWriter.clock(UInt64(truncatingIfNeeded: local - day * 86_400))
        let start = UnsafeMutableRawPointer(pointer + position)
        start.storeBytes(of: 0x20, toByteOffset: 10, as: UInt8.self)
        start.storeBytes(of: clock.littleEndian, toByteOffset: 11, as: UInt64.self)
        position += 19
    }

    /// `HH:MM:SS` of a second of the day (0..<86_400) as 8 bytes, first in the low byte (digits
    /// OR'd into a `00:00:00` pattern).
    @inlinable @inline(__always)
    static func clock(_ second: UInt64) -> UInt64 {
        let hour = second / 3600
        let minute = (second &- hour &* 3600) / 60
        let secondOfMinute = second &- hour &* 3600 &- minute &* 60
        let (h1, m1, s1) = (hour / 10, minute / 10, secondOfMinute / 10)
        return 0x3030_3A30_303A_3030 | h1 | (hour &- h1 &* 10) &<< 8 | m1 &<< 24 | (minute &- m1 &* 10) &<< 32
            | s1 &<< 48 | (secondOfMinute &- s1 &* 10) &<< 56
    }
}
