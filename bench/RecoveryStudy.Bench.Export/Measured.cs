using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RecoveryStudy.Bench;

internal sealed record Measurement(double Seconds, double PeakMegabytes);

/// <summary>Runs a program under /usr/bin/time: wall time and peak resident set size, the same way for every side.</summary>
internal static class Measured
{
    public static async Task<Measurement> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var report = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in (string[])["-f", "%e %M", "-o", report, program, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await stderr}{await stdout}");
            }
            var figures = (await File.ReadAllTextAsync(report)).Trim().Split(' ');
            return new Measurement(
                double.Parse(figures[0], CultureInfo.InvariantCulture),
                double.Parse(figures[1], CultureInfo.InvariantCulture) / 1024);
        }
        finally
        {
            File.Delete(report);
        }
    }
}

/// <summary>psql's client-side \copy of a query to a CSV file, the baseline.</summary>
internal sealed class Psql(NpgsqlConnectionStringBuilder connection, string folder)
{
    public Task<Measurement> CopyAsync(string query, string file) => Measured.RunAsync("psql",
        ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture),
            "-U", connection.Username!, "-d", connection.Database!,
            "-c", $"\\copy ({query}) TO '{Path.Combine(folder, file)}' WITH (FORMAT csv, HEADER)"],
        new Dictionary<string, string> { ["PGPASSWORD"] = connection.Password ?? "" });
}
