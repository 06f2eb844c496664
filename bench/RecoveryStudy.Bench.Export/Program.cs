using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using RecoveryStudy.Bench;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;

// dotnet run -c Release --project bench/RecoveryStudy.Bench.Export [-- PARTICIPANTS]
// Wide exports (across waves, and per wave) of N participants x 3 waves x 60 items through the real
// export code, each in a child process, next to psql's \copy of the same rows to CSV; wall time and
// peak resident memory of both measured by /usr/bin/time in the same run.
if (args is ["export", var childConnection, var childTable, var childWave, var outFile])
{
    return await ChildExport.RunAsync(childConnection, childTable, childWave == "-" ? null : childWave, outFile);
}

var participants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
await using var world = await BenchWorld.StartAsync();
await using var dataSource = NpgsqlDataSource.Create(world.ConnectionString);
var seed = Stopwatch.StartNew();
await ExportSeed.RunAsync(dataSource, participants);
long answers;
await using (var connection = await dataSource.OpenConnectionAsync())
{
    answers = await connection.QuerySingleAsync<long>("SELECT count(*) FROM answers");
}
Console.WriteLine($"seed: {participants:N0} participants x 3 waves x {ExportSeed.Items} items = {answers:N0} answers in {seed.Elapsed.TotalSeconds:F0} s");

var output = Path.Combine(Path.GetTempPath(), "rs-bench-export-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(output);
try
{
    var builder = new NpgsqlConnectionStringBuilder(world.ConnectionString);
    int[] waveIds;
    await using (var connection = await dataSource.OpenConnectionAsync())
    {
        waveIds = [.. await connection.QueryAsync<int>("SELECT id FROM waves ORDER BY position")];
    }
    var studyId = await QueryScalarAsync(dataSource, "SELECT id FROM studies WHERE code = 'bench'");
    var psql = new Psql(builder, output);
    // Warm the server's cache once, so that neither side pays for the first read from disk.
    await psql.CopyAsync(ParticipantQuery(studyId, waveIds), "warmup.csv");

    var rows = new List<string>();
    foreach (var (name, table, wave, ids) in new[]
    {
        ("wide across waves", TableKind.WideAcross, "-", waveIds),
        ("wide per wave (baseline)", TableKind.Wide, "baseline", waveIds[..1]),
    })
    {
        var copy = await psql.CopyAsync(ParticipantQuery(studyId, ids), table + ".psql.csv");
        var export = await Measured.RunAsync(
            Environment.ProcessPath!, [.. SelfArguments(), "export", world.ConnectionString, table, wave, Path.Combine(output, table + ".csv")]);
        var ratio = export.Seconds / copy.Seconds;
        var line = $"| {name} | {export.Seconds:F1} s, {export.PeakMegabytes:F0} MB, {Mb(output, table + ".csv")} | " +
                   $"{copy.Seconds:F1} s, {copy.PeakMegabytes:F0} MB, {Mb(output, table + ".psql.csv")} | {ratio:F2}x |";
        rows.Add(line);
        Console.WriteLine(line);
    }
    Console.WriteLine();
    Console.WriteLine("| export | ours: time, peak RSS, file | psql \\copy: time, peak RSS, file | ours / psql |");
    Console.WriteLine("| --- | --- | --- | --- |");
    rows.ForEach(Console.WriteLine);
    return 0;
}
finally
{
    Directory.Delete(output, recursive: true);
}

static string Mb(string folder, string file) => $"{new FileInfo(Path.Combine(folder, file)).Length / 1e6:F0} MB";

// When run as `dotnet X.dll`, the child needs the dll; the apphost needs nothing more.
static string[] SelfArguments() =>
    Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(ChildExport).Assembly.Location] : [];

static async Task<int> QueryScalarAsync(NpgsqlDataSource dataSource, string sql)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return await connection.QuerySingleAsync<int>(sql);
}

// The export's own query with its parameters written in: psql reads exactly the rows the export reads.
static string ParticipantQuery(int studyId, int[] waveIds) => ParticipantRecords.Sql
    .Replace("@StudyId", studyId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
    .Replace("@WaveIds", "ARRAY[" + string.Join(",", waveIds) + "]", StringComparison.Ordinal)
    .Replace("@Cohort::text", "NULL::text", StringComparison.Ordinal)
    .Replace("@Role::text", "NULL::text", StringComparison.Ordinal)
    .Replace("@Cohort", "NULL", StringComparison.Ordinal)
    .Replace("@Role", "NULL", StringComparison.Ordinal)
    .Replace("@Sites", "NULL", StringComparison.Ordinal)
    .ReplaceLineEndings(" ");

/// <summary>The export as the CLI runs it: layout, table, rows streamed into a CSV file.</summary>
internal static class ChildExport
{
    public static async Task<int> RunAsync(string connectionString, string tableKind, string? wave, string outFile)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var db = DatabaseSetup.CreateContext(connectionString);
        var layout = await StudyLayout.LoadAsync(db, ExportSeed.StudyCode, CancellationToken.None)
            ?? throw new InvalidOperationException("no bench study");
        var request = new ExportRequest(tableKind, wave);
        var (table, error) = DatasetExport.CreateTable(layout, request);
        if (table is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }
        await using var stream = File.Create(outFile);
        await using var writer = new CsvTableWriter(stream);
        await DatasetExport.WriteAsync(dataSource, layout, table, request.Filter, writer, null, CancellationToken.None);
        return 0;
    }
}
