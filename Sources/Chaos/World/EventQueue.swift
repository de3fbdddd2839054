import Platform

/// A min-heap of pending world events ordered by (instant, sequence number).
///
/// The sequence number is assigned at scheduling time, so two events for the same instant are
/// delivered in the order they were scheduled: ties never depend on heap layout.
struct EventQueue {
    struct Entry {
        var time: Instant
        var sequence: UInt64
        var component: Int
        var input: WorldInput

        func precedes(_ other: Entry) -> Bool {
            (time, sequence) < (other.time, other.sequence)
        }
    }

    private(set) var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// Adds an event and returns the sequence number it was given.
    @discardableResult
    mutating func push(time: Instant, component: Int, input: WorldInput) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        entries.append(Entry(time: time, sequence: sequence, component: component, input: input))
        siftUp(entries.count - 1)
        return sequence
    }

    /// The earliest event, without removing it.
    var first: Entry? { entries.first }

    /// Removes and returns the earliest event.
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        if !entries.isEmpty { siftDown(0) }
        return top
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            var smallest = left
            if left + 1 < entries.count, entries[left + 1].precedes(entries[left]) { smallest = left + 1 }
            guard entries[smallest].precedes(entries[parent]) else { return }
            entries.swapAt(smallest, parent)
            parent = smallest
        }
    }

    /// Checks the heap property; a programmer error if broken.
    func checkInvariants() {
        for index in 1..<max(entries.count, 1) {
            let parent = (index - 1) / 2
            precondition(
                !entries[index].precedes(entries[parent]),
                "event queue heap order broken at \(index): \(entries[index].time) before parent")
        }
    }
}
