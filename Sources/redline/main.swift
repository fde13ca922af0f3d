#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import RedlineCore

// The whole process: parse arguments, run one command, map errors to exit status 2.
let variables = ProcessInfo.processInfo.environment
var now = Date().timeIntervalSince1970
if let epoch = variables["SOURCE_DATE_EPOCH"], let seconds = Double(epoch), seconds.isFinite {
    now = seconds
}
signal(SIGPIPE, SIG_IGN)
Interruption.install()

let status: Int32
do {
    switch try Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help(let spec):
        Terminal.out(spec?.help ?? Commands.overview)
        status = 0
    case .version:
        Terminal.out("redline \(RedlineVersion.current)\n")
        status = 0
    case .run(let command, let options):
        status = try command.init(options).run(Environment(variables: variables, now: now))
    }
} catch {
    // Exit 2 prints exactly one line: notes gathered before the error are dropped.
    Terminal.flushNotes(discard: true)
    Terminal.errorLine(
        error.redlineErrors.count > 1
            ? RedlineErrors(error.redlineErrors).description
            : error.redlineErrors[0].description)
    status = 2
}
Terminal.flushNotes(discard: status == 2)
exit(status)
