#if canImport(Glibc)
import Glibc

/// epoll(7) and eventfd(2), reached through `dlsym` because the toolchain's Glibc module does not
/// import `<sys/epoll.h>` or `<sys/eventfd.h>` and the package has no C targets.
///
/// `struct epoll_event` is declared packed on x86-64 (12 bytes: a UInt32 then a UInt64) and
/// naturally aligned elsewhere (16 bytes), so events live in a raw buffer read with unaligned loads.
enum Epoll {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let readHangUp: UInt32 = 0x2000
    static let add: Int32 = 1
    static let delete: Int32 = 2
    static let modify: Int32 = 3
    static let closeOnExec: Int32 = 0x80000
    static let eventFDNonBlocking: Int32 = 0x800

    #if arch(x86_64)
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif

    typealias CreateFunction = @convention(c) (Int32) -> Int32
    typealias ControlFunction = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias WaitFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFDFunction = @convention(c) (UInt32, Int32) -> Int32

    static func symbol<F>(_ name: String, as type: F.Type) -> F {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else {
            preconditionFailure("\(name) not found in the C library")
        }
        return unsafeBitCast(pointer, to: type)
    }

    typealias AcceptFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    nonisolated(unsafe) static let acceptFunction = symbol("accept4", as: AcceptFunction.self)
    nonisolated(unsafe) static let createFunction = symbol("epoll_create1", as: CreateFunction.self)
    nonisolated(unsafe) static let controlFunction = symbol("epoll_ctl", as: ControlFunction.self)
    nonisolated(unsafe) static let waitFunction = symbol("epoll_wait", as: WaitFunction.self)
    nonisolated(unsafe) static let eventFDFunction = symbol("eventfd", as: EventFDFunction.self)

    static func create() -> Int32 { createFunction(closeOnExec) }

    @discardableResult
    static func control(_ epollFD: Int32, _ operation: Int32, _ fd: Int32, events: UInt32) -> Int32 {
        var raw: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &raw) { buffer in
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(of: UInt64(UInt32(bitPattern: fd)), toByteOffset: dataOffset, as: UInt64.self)
            return controlFunction(epollFD, operation, fd, buffer.baseAddress)
        }
    }

    /// Waits up to `timeoutMilliseconds` for events, written into `buffer` (`capacity` slots).
    static func wait(_ epollFD: Int32, _ buffer: UnsafeMutableRawPointer, capacity: Int, timeoutMilliseconds: Int32) -> Int32 {
        waitFunction(epollFD, buffer, Int32(capacity), timeoutMilliseconds)
    }

    /// The (events, fd) of slot `index` in a buffer filled by `wait`.
    static func event(in buffer: UnsafeMutableRawPointer, at index: Int) -> (events: UInt32, fd: Int32) {
        let base = buffer + index * eventSize
        let events = base.loadUnaligned(as: UInt32.self)
        let data = (base + dataOffset).loadUnaligned(as: UInt64.self)
        return (events, Int32(truncatingIfNeeded: data))
    }

    /// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: a new connection's fd, or -1 (see errno).
    static func acceptNonBlocking(_ listenFD: Int32) -> Int32 {
        acceptFunction(listenFD, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
    }

    static func makeEventFD() -> Int32 { eventFDFunction(0, eventFDNonBlocking | closeOnExec) }
}
#endif
