/// A contract's full `/quote` entry written straight from the market's draws, for a broker
/// serving a session through a `QuoteCache`.
///
/// The same bytes as `KiteQuoteEncoder.write(KiteQuote(quote, token:), kind: .full)`, with less
/// printing: the token, circuit limits and open are printed once per contract and session
/// (`KiteFixedText`) and the tape's fields once per trade (`KiteTapeText`), both kept by the
/// cache; depth quantities come from the cache's per-lot-size
/// digit table; each level's order count and the next level's opening come from one table copy;
/// depth prices reuse their rupee digits; and ohlc's high, low and close copy the digits of
/// `last_price` or `open` written just before them. No `MarketQuote` or
/// `KiteQuote` is assembled on the way.
extension Market {
    /// Writes contract `id`'s full entry at `second` (a result of `secondOfSession(_:)`).
    @inline(__always)
    func writeFullKiteQuote(token: UInt32, id: Int, second: Int, cache: QuoteCache, to out: inout KiteByteWriter) {
        cache.withLockedState(self) { state in
            writeFullKiteQuote(token: token, id: id, second: second, cache: cache, state: &state, to: &out)
        }
    }

    /// `writeFullKiteQuote(token:id:second:cache:to:)` with the cache's state already locked.
    /// (One function for every caller: the fused writer is some 25 KB of code.)
    @inline(never)
    func writeFullKiteQuote(
        token: UInt32, id: Int, second: Int, cache: QuoteCache, state: inout QuoteCache.State,
        to out: inout KiteByteWriter
    ) {
        state.withAnswerAndText(self, id: id, second: second, token: token, contracts: cache.contracts) {
            quote, cursor, fixed, tapeText in
            writeFullKiteQuote(
                token: token, id: id, second: second, quote: quote, cursor: cursor, fixed: fixed, tapeText: tapeText,
                cache: cache, to: &out)
        }
    }

    /// The entry from the cache's answer and texts, lent by `QuoteCache.State.withAnswerAndText`
    /// (`cursor` holds the tape and the opening mid; fields are read from it where they are used).
    @inline(__always)
    private func writeFullKiteQuote(
        token: UInt32, id: Int, second: Int, quote: (bid: Int64, ask: Int64), cursor: UnsafePointer<TapeCursor>,
        fixed: UnsafePointer<KiteFixedText>, tapeText: UnsafePointer<KiteTapeText>, cache: QuoteCache,
        to out: inout KiteByteWriter
    ) {
        typealias W = KiteByteWriter
        let stamp = spec.calendar.time(date, secondOfSession: second)
        let openTicks = cursor.pointee.openTicks
        let last = cursor.pointee.tape.lastPriceTicks ?? openTicks
        let tick = QuoteRule.tickPaise
        let draws = depthDraws(key: quoteTerms[id].depthKey, second: second)
        let (bid, ask) = quote
        let (d0, d1, d2, d3, d4) = (draws.level(0), draws.level(1), draws.level(2), draws.level(3), draws.level(4))
        // A bid level exists only above zero ticks; the best bid is the highest.
        let buyLots = (bid > 0 ? d0.buyLots : 0) + (bid > 1 ? d1.buyLots : 0) + (bid > 2 ? d2.buyLots : 0)
            + (bid > 3 ? d3.buyLots : 0) + (bid > 4 ? d4.buyLots : 0)
        let sellLots = d0.sellLots + d1.sellLots + d2.sellLots + d3.sellLots + d4.sellLots
        let lotSize = quoteTerms[id].lotSize
        let close = openTicks * tick

        var p = W.put(#"{"instrument_token":"#, at: out.pointer + out.position)
        p = fixed.pointee.fits
            ? KiteFixedText.put(fixed.pointee.token, length: fixed.pointee.tokenLength, at: p)
            : W.putUnsigned(UInt64(token), at: p)
        p = W.put(#","timestamp":""#, at: p)
        out.position = p - out.pointer
        out.timestamp19(KiteInstant(nanosecondsSinceEpoch: stamp.nanosecondsSinceEpoch), slot: 0)
        out.raw(#"","last_trade_time":""#)
        if let lastSecond = cursor.pointee.tape.lastSecond {
            let secondOfDay = spec.calendar.openSecond + lastSecond
            if secondOfDay >= 0, secondOfDay < 86_400 {
                // The snapshot's IST day: its date and space copied from the stamp just written
                // (`p` still points at it), then the clock.
                let start = UnsafeMutableRawPointer(out.pointer + out.position)
                start.storeBytes(of: UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
                start.storeBytes(of: W.clock(UInt64(secondOfDay)).littleEndian, toByteOffset: 11, as: UInt64.self)
                out.position &+= 19
            } else {
                let time = spec.calendar.time(date, secondOfSession: lastSecond)
                out.timestamp19(KiteInstant(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch), slot: 1)
            }
        }
        out.byte(0x22)
        p = out.pointer + out.position
        // `,"last_price":` is 14 bytes; the last price's digits follow it.
        let lastText = p + 14
        let lastLength: Int
        if tapeText.pointee.fits {
            p = KiteTapeText.putHead(tapeText, at: p)
            lastLength = Int(tapeText.pointee.lastLength)
        } else {
            (p, lastLength) = KiteTapeText.printHead(cursor.pointee.tape, openTicks: openTicks, at: p)
        }
        p = W.put(#","buy_quantity":"#, at: p)
        p = W.putInt(buyLots * lotSize, at: p)
        p = W.put(#","sell_quantity":"#, at: p)
        p = W.putInt(sellLots * lotSize, at: p)
        p = tapeText.pointee.fits
            ? KiteTapeText.putTail(tapeText, at: p)
            : KiteTapeText.printTail(cursor.pointee.tape, openTicks: openTicks, at: p)
        p = W.put(#","lower_circuit_limit":"#, at: p)
        let openText: UnsafeMutablePointer<UInt8>
        if fixed.pointee.fits {
            p = KiteFixedText.put(fixed.pointee.lower, length: fixed.pointee.lowerLength, at: p)
            p = W.put(#","upper_circuit_limit":"#, at: p)
            p = KiteFixedText.put(fixed.pointee.upper, length: fixed.pointee.upperLength, at: p)
            p = W.put(#","ohlc":{"open":"#, at: p)
            openText = p
            p = KiteFixedText.put(fixed.pointee.open, length: fixed.pointee.openLength, at: p)
        } else {
            p = W.putPaise(max(5, close / 5), at: p)
            p = W.put(#","upper_circuit_limit":"#, at: p)
            p = W.putPaise(close * 3 + 500, at: p)
            p = W.put(#","ohlc":{"open":"#, at: p)
            openText = p
            p = W.putPaise(close, at: p)
        }
        let openLength = p - openText
        let lastIsHigh = last >= openTicks
        p = W.put(#","high":"#, at: p)
        p = Self.copy(lastIsHigh ? lastText : openText, count: lastIsHigh ? lastLength : openLength, to: p)
        p = W.put(#","low":"#, at: p)
        p = Self.copy(lastIsHigh ? openText : lastText, count: lastIsHigh ? openLength : lastLength, to: p)
        p = W.put(#","close":"#, at: p)
        p = Self.copy(openText, count: openLength, to: p)

        let table = cache.quantityTable[id]
        // The lot size's row of quantity texts, read unchecked within its bound.
        p = cache.quantityText.withUnsafeBufferPointer { quantities in
            precondition(table >= 0 && table + QuoteCache.quantityTableSize <= quantities.count)
            let row = quantities.baseAddress.unsafelyUnwrapped + table
            var p = p
            // Passed inout, not captured: a captured `var` is boxed and checked for exclusivity at run time.
            var rupees = PriceText()
            @inline(__always)
            func level(
                _ priceTicks: Int64, lots: Int64, orders: Int64, last: Bool, price: inout PriceText,
                at start: UnsafeMutablePointer<UInt8>
            ) -> UnsafeMutablePointer<UInt8> {
                var p = price.put(priceTicks, at: start)
                p = W.put(#","quantity":"#, at: p)
                // Lots are in 1...196 (`DepthDraws.level`); any other count is printed (entry 0).
                let entry = UInt64(bitPattern: lots) < UInt64(QuoteCache.quantityTableSize) ? row[Int(truncatingIfNeeded: lots)] : 0
                if entry != 0 {
                    // The digits, then bytes past them (the count in the last) that the next field overwrites.
                    UnsafeMutableRawPointer(p).storeBytes(of: entry.littleEndian, as: UInt64.self)
                    p += Int(truncatingIfNeeded: entry &>> 56)
                } else {
                    p = W.putInt(lots * lotSize, at: p)
                }
                return Self.putOrders(orders, last: last, at: p)
            }
            p = W.put(#"},"depth":{"buy":[{"price":"#, at: p)
            p = bid > 0 ? level(bid, lots: d0.buyLots, orders: d0.buyOrders, last: false, price: &rupees, at: p) : Self.putEmptyLevel(last: false, at: p)
            p = bid > 1 ? level(bid &- 1, lots: d1.buyLots, orders: d1.buyOrders, last: false, price: &rupees, at: p) : Self.putEmptyLevel(last: false, at: p)
            p = bid > 2 ? level(bid &- 2, lots: d2.buyLots, orders: d2.buyOrders, last: false, price: &rupees, at: p) : Self.putEmptyLevel(last: false, at: p)
            p = bid > 3 ? level(bid &- 3, lots: d3.buyLots, orders: d3.buyOrders, last: false, price: &rupees, at: p) : Self.putEmptyLevel(last: false, at: p)
            p = bid > 4 ? level(bid &- 4, lots: d4.buyLots, orders: d4.buyOrders, last: true, price: &rupees, at: p) : Self.putEmptyLevel(last: true, at: p)
            p = W.put(#"],"sell":[{"price":"#, at: p)
            p = level(ask, lots: d0.sellLots, orders: d0.sellOrders, last: false, price: &rupees, at: p)
            p = level(ask &+ 1, lots: d1.sellLots, orders: d1.sellOrders, last: false, price: &rupees, at: p)
            p = level(ask &+ 2, lots: d2.sellLots, orders: d2.sellOrders, last: false, price: &rupees, at: p)
            p = level(ask &+ 3, lots: d3.sellLots, orders: d3.sellOrders, last: false, price: &rupees, at: p)
            p = level(ask &+ 4, lots: d4.sellLots, orders: d4.sellOrders, last: true, price: &rupees, at: p)
            return p
        }
        p = W.put("]}}", at: p)
        out.position = p - out.pointer
    }

    /// Prints prices in ticks as `putPaise` prints their paise, reusing the rupee digits while
    /// consecutive levels stay within one rupee (a tick is 5 paise, so 20 ticks to the rupee).
    struct PriceText {
        var rupees: Int64 = -1
        var text: UInt64 = 0
        var length = 0

        /// `putPaise(ticks × 5)`; the fraction `.05`–`.95` follows from `ticks % 20` (trailing zero dropped).
        @inline(__always)
        mutating func put(_ ticks: Int64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
            guard ticks >= 0, ticks < 2_000_000_000 else { return KiteByteWriter.putPaise(ticks &* QuoteRule.tickPaise, at: p) }
            let whole = ticks / 20
            let fraction = UInt32(truncatingIfNeeded: ticks &- whole &* 20)
            if whole != rupees {
                rupees = whole
                let digits = KiteByteWriter.digitBytes(UInt64(whole))
                let skip = (digits | 1 << 56).trailingZeroBitCount &>> 3
                text = (digits | 0x3030_3030_3030_3030) &>> UInt64(skip &<< 3)
                length = 8 &- skip
            }
            UnsafeMutableRawPointer(p).storeBytes(of: text.littleEndian, as: UInt64.self)
            let q = p + length
            // Three text bytes and the length in the fourth; the length byte is overwritten next.
            let entry = UnsafeRawPointer(Self.fractions.utf8Start).loadUnaligned(
                fromByteOffset: Int(truncatingIfNeeded: fraction) &* 4, as: UInt32.self
            ).littleEndian
            UnsafeMutableRawPointer(q).storeBytes(of: entry.littleEndian, as: UInt32.self)
            return q + Int(truncatingIfNeeded: entry &>> 24 &- 0x30)
        }

        /// Entry `f` (4 bytes): the text of 5 × `f` paise after the rupees (`.05`, `.1`, … or
        /// nothing, space-padded to 3) and its length as an ASCII digit.
        @inline(__always)
        static var fractions: StaticString {
            "   0.053.1 2.153.2 2.253.3 2.353.4 2.453.5 2.553.6 2.653.7 2.753.8 2.853.9 2.953"
        }
    }

    /// Copies `count` bytes written earlier in the entry (16 at once when they fit; the extra
    /// bytes land past the returned cursor, inside the entry's bound, and are overwritten).
    @inline(__always)
    static func copy(_ source: UnsafeMutablePointer<UInt8>, count: Int, to p: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        if count <= 16 {
            let text = UnsafeRawPointer(source).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(p).storeBytes(of: text, as: SIMD16<UInt8>.self)
        } else {
            UnsafeMutableRawPointer(p).copyMemory(from: source, byteCount: count)
        }
        return p + count
    }

    /// `,"orders":N}` and, unless `last`, the next level's `,{"price":`, for `orders` in 1...20
    /// (one 24-byte copy from a table; other counts are printed).
    @inline(__always)
    static func putOrders(_ orders: Int64, last: Bool, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard orders >= 1, orders <= 20 else {
            var q = KiteByteWriter.put(#","orders":"#, at: p)
            q = KiteByteWriter.putInt(orders, at: q)
            return last ? KiteByteWriter.put("}", at: q) : KiteByteWriter.put(#"},{"price":"#, at: q)
        }
        let entry = UnsafeRawPointer(ordersTable.utf8Start) + Int(truncatingIfNeeded: orders &- 1) &* 24
        let target = UnsafeMutableRawPointer(p)
        target.storeBytes(of: entry.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        target.storeBytes(of: entry.loadUnaligned(fromByteOffset: 16, as: UInt64.self), toByteOffset: 16, as: UInt64.self)
        // `,"orders":` (10), the digits, `}` and `,{"price":` (10).
        let digits = orders < 10 ? 1 : 2
        return p + (last ? 11 &+ digits : 21 &+ digits)
    }

    /// An empty level's fields after its `{"price":` (an empty bid level below one tick).
    @inline(__always)
    static func putEmptyLevel(last: Bool, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        last ? KiteByteWriter.put(#"0,"quantity":0,"orders":0}"#, at: p)
            : KiteByteWriter.put(#"0,"quantity":0,"orders":0},{"price":"#, at: p)
    }

    /// Entry `n - 1` (24 bytes, space-padded) is `,"orders":n},{"price":` for n in 1...20.
    @inline(__always)
    static var ordersTable: StaticString {
        #","orders":1},{"price":  ,"orders":2},{"price":  ,"orders":3},{"price":  ,"orders":4},{"price":  ,"orders":5},{"price":  ,"orders":6},{"price":  ,"orders":7},{"price":  ,"orders":8},{"price":  ,"orders":9},{"price":  ,"orders":10},{"price": ,"orders":11},{"price": ,"orders":12},{"price": ,"orders":13},{"price": ,"orders":14},{"price": ,"orders":15},{"price": ,"orders":16},{"price": ,"orders":17},{"price": ,"orders":18},{"price": ,"orders":19},{"price": ,"orders":20},{"price": "#
    }
}
