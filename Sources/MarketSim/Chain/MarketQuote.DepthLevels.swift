extension MarketQuote {
    /// Up to five depth levels of one side of the book, best first, held inline (no heap storage).
    ///
    /// A broker builds a quote for each of hundreds of contracts on every call; as two arrays per
    /// quote its depth cost two allocations, their frees and reference counting on every copy.
    /// Here the levels live in the quote's own bytes. Slots past `count` always hold zero levels
    /// (`DepthLevel.empty`), so a writer padding to five levels reads all five slots as they are.
    public struct DepthLevels: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable, Sendable {
        /// Levels one side can hold: Kite shows five.
        public static let capacity = 5

        @usableFromInline var slots: (DepthLevel, DepthLevel, DepthLevel, DepthLevel, DepthLevel)
        @usableFromInline var held: Int

        /// Levels held (0 for indices, 5 for tradables).
        @inlinable public var count: Int { held }

        /// No levels.
        @inlinable
        public init() {
            let zero = DepthLevel(pricePaise: 0, quantity: 0, orders: 0)
            slots = (zero, zero, zero, zero, zero)
            held = 0
        }

        /// Exactly five levels, best first.
        @inlinable
        public init(_ l0: DepthLevel, _ l1: DepthLevel, _ l2: DepthLevel, _ l3: DepthLevel, _ l4: DepthLevel) {
            slots = (l0, l1, l2, l3, l4)
            held = 5
        }

        /// The levels of `levels`, best first; more than five is a programmer error.
        public init(_ levels: some Sequence<DepthLevel>) {
            self.init()
            for level in levels { append(level) }
        }

        public init(arrayLiteral levels: DepthLevel...) {
            self.init(levels)
        }

        /// Adds the next-worse level; a sixth level is a programmer error.
        public mutating func append(_ level: DepthLevel) {
            precondition(count < Self.capacity, "a depth side holds at most \(Self.capacity) levels")
            switch count {
            case 0: slots.0 = level
            case 1: slots.1 = level
            case 2: slots.2 = level
            case 3: slots.3 = level
            default: slots.4 = level
            }
            held += 1
        }

        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { count }

        @inlinable
        public subscript(position: Int) -> DepthLevel {
            precondition(position >= 0 && position < count, "depth level \(position) of \(count)")
            return slot(position)
        }

        /// Slot `position` in 0..<5, a zero level past `count`.
        @inlinable @inline(__always)
        func slot(_ position: Int) -> DepthLevel {
            switch position {
            case 0: slots.0
            case 1: slots.1
            case 2: slots.2
            case 3: slots.3
            default: slots.4
            }
        }

        public static func == (left: DepthLevels, right: DepthLevels) -> Bool {
            left.count == right.count && left.elementsEqual(right)
        }
    }
}
