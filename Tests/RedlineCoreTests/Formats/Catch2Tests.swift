import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

@Suite("catch2: Catch2's XML reporter")
struct Catch2Tests {
    // The XML reporter's shape as Catch2 v3 writes it (values in nanoseconds).
    static let catch2XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Catch2TestRun name="bench" rng-seed="1" xml-format-version="2" catch2-version="3.4.0">
          <TestCase name="Fibonacci" filename="bench.cpp" line="5">
            <BenchmarkResults name="Fibonacci 10" samples="100" resamples="100000" iterations="208" clockResolution="20.1" estimatedDuration="7196800">
              <!-- All values in nano seconds -->
              <mean value="344.373" lowerBound="341.818" upperBound="346.733" ci="0.95"/>
              <standardDeviation value="12.42" lowerBound="10.22" upperBound="14.99" ci="0.95"/>
              <outliers variance="0.32" lowMild="0" lowSevere="0" highMild="2" highSevere="0"/>
            </BenchmarkResults>
            <BenchmarkResults name="Fibonacci &quot;20&quot; &amp; more" samples="100" resamples="100000" iterations="2" clockResolution="20.1" estimatedDuration="8371200">
              <mean value="41731.5" lowerBound="41250" upperBound="42622" ci="0.95"/>
            </BenchmarkResults>
            <OverallResult success="true"/>
          </TestCase>
          <OverallResults successes="0" failures="0" expectedFailures="0"/>
        </Catch2TestRun>
        """

    @Test("Catch2's XML reporter: the mean in ns, attribute entities decoded")
    func catch2XML() throws {
        let result = try readText(Self.catch2XML, name: "catch2.xml")
        #expect(result.format == "catch2")
        #expect(result.metrics["Fibonacci 10"]?.value == 344.373)
        #expect(result.metrics["Fibonacci 10"]?.unit?.symbol == "ns")
        #expect(result.metrics["Fibonacci \"20\" & more"]?.value == 41731.5)
        let truncated = String(Self.catch2XML.prefix(600))
        #expect(readError(truncated, name: "catch2.xml")?.message.contains("is not closed") == true)
    }
}
