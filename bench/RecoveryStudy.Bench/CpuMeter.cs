using System.Globalization;

namespace RecoveryStudy.Bench;

/// <summary>
/// CPU seconds used so far by a process and its children (Linux /proc), so the benchmark can say
/// whether a phase was bound by the database server, the SMTP sink or the code under test. The
/// PostgreSQL server is its postmaster plus the backends: live ones are read directly, exited
/// ones are already added to the postmaster's children's times.
/// </summary>
internal static class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static double ProcessTreeSeconds(int rootPid)
    {
        var total = Own(rootPid);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != rootPid && ParentOf(pid) == rootPid)
            {
                total += Own(pid);
            }
        }
        return total;
    }

    public static double PostmasterSeconds(string dataDirectory) =>
        ProcessTreeSeconds(int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture));

    private static double Own(int pid)
    {
        var fields = Fields(pid);
        if (fields is null)
        {
            return 0;
        }
        // Fields after the command name: state is [0]; utime [11], stime [12], cutime [13], cstime [14].
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
            + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    private static int? ParentOf(int pid) =>
        Fields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
