using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RecoveryStudy.Bench;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web;

// dotnet run -c Release --project bench/RecoveryStudy.Bench.Load [-- PARTICIPANTS [SATURATION_SECONDS [CONNECTIONS [background]]]]
// One web host on loopback against a private PostgreSQL. After an unreported warm-up of 20, two flows
// of participants (200 each; ParticipantFlow) page through, pause (their browser closed), come back
// through the link and finish: "burst" all at the same instant without reading, "paced" arriving over
// 10 s and reading each page 2-6 s. Every request's time is recorded by page type. Then the survey page,
// a static file and the liveness probe of the same host, each driven at saturation for
// SATURATION_SECONDS by CONNECTIONS clients, give the throughput ratio.
// With "background", a dispatch of 10,000 emails and a wide export of a 100,000-participant study
// (BackgroundWork) start just before the participants and run alongside them.
var participants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var connections = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
var background = args.Length > 3 && args[3] == "background";
const int BackgroundEmails = 10_000;
const int ExportParticipants = 100_000;

await using var world = await BenchWorld.StartAsync();
if (background)
{
    // First, into the empty database: the export's seed is set-based over every item and wave there is.
    var seeding = Stopwatch.StartNew();
    await BackgroundWork.SeedAsync(world.ConnectionString, ExportParticipants, BackgroundEmails);
    Console.WriteLine($"background seeded in {seeding.Elapsed.TotalSeconds:F0} s: {BackgroundEmails:N0} emails due, export study of {ExportParticipants:N0} participants");
}
List<string> warmTokens, flowTokens, pacedTokens, pageTokens, answeredTokens;
await using (var db = DatabaseSetup.CreateContext(world.ConnectionString))
{
    var survey = await SurveyWorld.CreateAsync(db);
    warmTokens = await Participants.AddAsync(db, survey, 20, "W");
    flowTokens = await Participants.AddAsync(db, survey, participants, "F");
    pacedTokens = await Participants.AddAsync(db, survey, participants, "P");
    pageTokens = await Participants.AddAsync(db, survey, connections, "S");
    answeredTokens = await Participants.AddAsync(db, survey, connections, "A");
    await Participants.AnswerEverythingAsync(db, survey, answeredTokens);
}
var app = AppHost.Build([
    $"--ConnectionStrings:Main={world.ConnectionString}", "--Jobs:Enabled=false", "--Database:MigrateOnStart=false",
    "--urls=http://127.0.0.1:0", "--environment=Testing", "--Logging:LogLevel:Default=Warning",
    // Every simulated participant comes from 127.0.0.1: the per-address link throttle would stop all but 30 a minute.
    "--Participants:LinkRequestsPerMinute=1000000",
]);
await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
Console.WriteLine($"host {baseAddress}, {participants} participants, saturation {seconds} s x {connections} connections, load average {LoadAverage()}");

var exportFile = Path.Combine(Path.GetTempPath(), "rs-bench-load-export-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
// Warm-up, not reported: a running service has compiled its pages long before 200 people arrive.
var warmed = await new ParticipantFlow(baseAddress, FlowPacing.Burst).RunAsync(warmTokens);
Console.WriteLine($"warm-up (not reported): {warmTokens.Count} participants through in {warmed.TotalSeconds:F1} s");
var work = background ? BackgroundWork.Start(world.ConnectionString, world.SmtpPort, exportFile) : null;
var flowErrors = false;
foreach (var (pacing, tokens) in new[] { (FlowPacing.Burst, flowTokens), (FlowPacing.Paced, pacedTokens) })
{
    var flow = new ParticipantFlow(baseAddress, pacing);
    var took = await flow.RunAsync(tokens);
    flowErrors |= flow.HadErrors;
    Console.WriteLine($"{pacing.Name}: {participants} participants through in {took.TotalSeconds:F1} s; load average {LoadAverage()}" + (work is null ? "" :
        $"; at that moment the dispatch was {(work.Dispatch.IsCompleted ? "done" : "still running")} and the export {(work.Export.IsCompleted ? "done" : "still running")}"));
    foreach (var line in flow.Table())
    {
        Console.WriteLine(line);
    }
}

// Saturation: each connection a participant of its own holding page 1, then the static file; and
// participants who have answered every question, on the last page.
async Task<List<HttpClient>> ClientsAsync(IEnumerable<string> tokens)
{
    var clients = new List<HttpClient>();
    foreach (var token in tokens)
    {
        var client = ParticipantFlow.NewClient(baseAddress);
        await client.GetAsync("/s/" + token);
        clients.Add(client);
    }
    return clients;
}
var pageClients = await ClientsAsync(pageTokens);
var answeredClients = await ClientsAsync(answeredTokens);
// CPU per request (from /proc): this process (the host and its clients) and the PostgreSQL server; less
// disturbed than requests/s by other work on the machine, so before/after comparisons read both.
async Task<Saturation> SaturateAsync(string path, List<HttpClient>? clients = null)
{
    var count = 0;
    var failed = 0;
    var (ownBefore, databaseBefore) = (BenchWorld.OwnCpuSeconds(), world.ServerCpuSeconds());
    var (allocatedBefore, gen0Before) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
    // For a profiler started from outside (bench/profile/survey-page-cpu waits for this line).
    Console.WriteLine($"saturating {path} for {seconds} s");
    var until = Stopwatch.StartNew();
    await Task.WhenAll((clients ?? pageClients).Select(client => Task.Run(async () =>
    {
        while (until.Elapsed.TotalSeconds < seconds)
        {
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            Interlocked.Increment(ref count);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failed);
            }
        }
    })));
    var elapsed = until.Elapsed.TotalSeconds;
    return new Saturation(count / elapsed, failed, 1000 * (BenchWorld.OwnCpuSeconds() - ownBefore) / count, 1000 * (world.ServerCpuSeconds() - databaseBefore) / count,
        (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / count, 1000.0 * (GC.CollectionCount(0) - gen0Before) / count);
}
await SaturateAsync("/css/participant.css"); // warm-up, not reported
var page = await SaturateAsync("/survey/page/1");
var answered = await SaturateAsync("/survey/page/4", answeredClients);
var file = await SaturateAsync("/css/participant.css");
var live = await SaturateAsync("/health/live");
Console.WriteLine($"saturation: liveness probe {live.PerSecond:F0} req/s ({live.Errors} errors); {live.Cpu}");
Console.WriteLine($"saturation: static file {file.PerSecond:F0} req/s ({file.Errors} errors); {file.Cpu}");
Console.WriteLine($"saturation: survey page {page.PerSecond:F0} req/s ({page.Errors} errors); {page.Cpu}");
Console.WriteLine($"saturation: last page, every question answered {answered.PerSecond:F0} req/s ({answered.Errors} errors); {answered.Cpu}");
Console.WriteLine($"saturation: survey page / static file {100 * page.PerSecond / file.PerSecond:F1} %; load average {LoadAverage()}");
if (work is not null)
{
    Console.WriteLine($"saturation ended with the dispatch {(work.Dispatch.IsCompleted ? "done" : "still running")} and the export {(work.Export.IsCompleted ? "done" : "still running")}");
    var (sent, sendSeconds) = await work.Dispatch;
    var (exported, exportSeconds) = await work.Export;
    Console.WriteLine($"background: dispatch {sent:N0} emails in {sendSeconds:F1} s; wide export across waves {exported:N0} participants " +
        $"({new FileInfo(exportFile).Length / 1e6:F0} MB) in {exportSeconds:F1} s");
    File.Delete(exportFile);
}
foreach (var client in pageClients)
{
    client.Dispose();
}
await app.StopAsync();
await app.DisposeAsync();
return flowErrors ? 1 : 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

/// <summary>One saturation phase: throughput, errors, and per request the CPU of this process and of PostgreSQL and what this process allocated.</summary>
internal sealed record Saturation(double PerSecond, int Errors, double ProcessCpuMs, double DatabaseCpuMs, double AllocatedKb, double Gen0PerThousand)
{
    public string Cpu => $"CPU per request {ProcessCpuMs:F3} ms in this process, {DatabaseCpuMs:F3} ms in PostgreSQL; " +
        $"{AllocatedKb:F0} KB allocated, {Gen0PerThousand:F1} gen-0 collections per 1,000";
}
