using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// A fault scenario's measured figures, written to the test's output and to the console, so that
/// ops/test's log shows them next to the test's name.
/// </summary>
public sealed class Figures(ITestOutputHelper output, string scenario)
{
    public void Print(string line)
    {
        var text = $"[faults] {scenario}: {line}";
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
