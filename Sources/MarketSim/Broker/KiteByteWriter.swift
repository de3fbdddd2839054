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

    @usableFromInline init(pointer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.pointer = pointer
        self.capacity = capacity
    }

    /// Builds an array of at most `capacity` bytes by running `body` on a writer.
    @inlinable
    public static func build(capacity: Int, _ body: (inout KiteByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
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

    /// "00" through "99": two digits per table read halves the divisions.
    @inlinable @inline(__always)
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// A non-negative integer (≤ 20 bytes).
    @inlinable @inline(__always)
    public mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            byte(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits = 2
        var limit: UInt64 = 100
        while digits < 20, value >= limit {
            digits += 1
            limit &*= 10
        }
        let pairs = KiteByteWriter.digitPairs.utf8Start
        var rest = value
        var end = position &+ digits
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            end &-= 2
            pointer[end] = pairs[pair]
            pointer[end + 1] = pairs[pair + 1]
        }
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            pointer[end - 2] = pairs[pair]
            pointer[end - 1] = pairs[pair + 1]
        } else {
            pointer[end - 1] = UInt8(truncatingIfNeeded: rest) &+ 48
        }
        position &+= digits
    }

    /// A signed integer (≤ 20 bytes).
    @inlinable @inline(__always)
    public mutating func int(_ value: Int64) {
        if value < 0 {
            byte(0x2D)
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    /// Paise as rupees, trailing fraction zeros dropped (≤ 24 bytes); see `KiteJSON.appendPaise`.
    @inlinable @inline(__always)
    public mutating func paise(_ paise: Int64) {
        let magnitude = paise.magnitude
        if paise < 0 { byte(0x2D) }
        unsigned(magnitude / 100)
        let fraction = Int(truncatingIfNeeded: magnitude % 100)
        if fraction == 0 { return }
        let pairs = KiteByteWriter.digitPairs.utf8Start
        pointer[position] = 0x2E
        pointer[position + 1] = pairs[fraction &* 2]
        pointer[position + 2] = pairs[fraction &* 2 + 1]
        position &+= fraction % 10 != 0 ? 3 : 2
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
        let second = Int(local - day * 86_400)
        let (hour, minute, secondOfMinute) = (second / 3600, second / 60 % 60, second % 60)
        pointer[position + 10] = 0x20
        pointer[position + 11] = UInt8(48 + hour / 10)
        pointer[position + 12] = UInt8(48 + hour % 10)
        pointer[position + 13] = 0x3A
        pointer[position + 14] = UInt8(48 + minute / 10)
        pointer[position + 15] = UInt8(48 + minute % 10)
        pointer[position + 16] = 0x3A
        pointer[position + 17] = UInt8(48 + secondOfMinute / 10)
        pointer[position + 18] = UInt8(48 + secondOfMinute % 10)
        position += 19
    }
}
