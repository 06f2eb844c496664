using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
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
// One web host on loopback against a private PostgreSQL. Participants (200) open their link at once,
// page through, pause (their browser closed), come back through the link and finish; every request's
// time is recorded by page type. Then the survey page and a static file of the same host, each
// driven at saturation for SATURATION_SECONDS by CONNECTIONS clients, give the throughput ratio.
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
List<string> flowTokens, pageTokens;
await using (var db = DatabaseSetup.CreateContext(world.ConnectionString))
{
    var survey = await SurveyWorld.CreateAsync(db);
    flowTokens = await Participants.AddAsync(db, survey, participants, "F");
    pageTokens = await Participants.AddAsync(db, survey, connections, "S");
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

var times = new ConcurrentDictionary<string, ConcurrentBag<double>>();
var errors = new ConcurrentDictionary<string, int>();
async Task<HttpResponseMessage> TimedAsync(string type, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
{
    var started = Stopwatch.GetTimestamp();
    var response = await send();
    await response.Content.LoadIntoBufferAsync();
    times.GetOrAdd(type, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    if (response.StatusCode != expected)
    {
        errors.AddOrUpdate(type, 1, (_, n) => n + 1);
    }
    return response;
}
HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };
static string Token(string html)
{
    const string marker = "name=\"__rs_af\" type=\"hidden\" value=\"";
    var at = html.IndexOf(marker, StringComparison.Ordinal);
    if (at < 0)
    {
        var alt = html.IndexOf("name=\"__rs_af\"", StringComparison.Ordinal);
        var value = html.IndexOf("value=\"", alt, StringComparison.Ordinal) + 7;
        return html[value..html.IndexOf('"', value)];
    }
    at += marker.Length;
    return html[at..html.IndexOf('"', at)];
}
async Task PostPageAsync(HttpClient client, int number, string html, string nav, HttpStatusCode expected, params (string, string)[] fields)
{
    var form = new List<KeyValuePair<string, string>> { new("__rs_af", Token(html)), new("nav", nav) };
    form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
    await TimedAsync("page POST", () => client.PostAsync($"/survey/page/{number}", new FormUrlEncodedContent(form)), expected);
}
async Task<string> GetPageAsync(HttpClient client, int number) =>
    await (await TimedAsync("page GET", () => client.GetAsync($"/survey/page/{number}"), HttpStatusCode.OK)).Content.ReadAsStringAsync();

async Task ParticipantAsync(string token, int index)
{
    var random = new Random(index);
    using (var client = NewClient())
    {
        await TimedAsync("link /s/{token}", () => client.GetAsync("/s/" + token), HttpStatusCode.Redirect);
        await TimedAsync("intro /survey", () => client.GetAsync("/survey"), HttpStatusCode.OK);
        var html = await GetPageAsync(client, 1);
        await PostPageAsync(client, 1, html, "next", HttpStatusCode.Redirect, ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
        html = await GetPageAsync(client, 3);
        await PostPageAsync(client, 3, html, "next", HttpStatusCode.Redirect, ("hours", "12"), ("comments", "Useful, thank you"));
    }
    // The pause: the browser is closed; the participant comes back later through the emailed link.
    await Task.Delay(random.Next(500, 3000));
    using (var client = NewClient())
    {
        await TimedAsync("link /s/{token}", () => client.GetAsync("/s/" + token), HttpStatusCode.Redirect);
        await TimedAsync("resume /survey", () => client.GetAsync("/survey"), HttpStatusCode.Redirect);
        var html = await GetPageAsync(client, 4);
        await PostPageAsync(client, 4, html, "submit", HttpStatusCode.Redirect, ("who_1", "3"), ("who_2", "4"));
        await TimedAsync("thanks", () => client.GetAsync("/survey/thanks"), HttpStatusCode.OK);
    }
}

var exportFile = Path.Combine(Path.GetTempPath(), "rs-bench-load-export-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
var work = background ? BackgroundWork.Start(world.ConnectionString, world.SmtpPort, exportFile) : null;
var flow = Stopwatch.StartNew();
await Task.WhenAll(flowTokens.Select((t, i) => Task.Run(() => ParticipantAsync(t, i))));
Console.WriteLine($"{participants} participants through in {flow.Elapsed.TotalSeconds:F1} s" + (work is null ? "" :
    $"; at that moment the dispatch was {(work.Dispatch.IsCompleted ? "done" : "still running")} and the export {(work.Export.IsCompleted ? "done" : "still running")}"));
Console.WriteLine("| page type | requests | p50 ms | p95 ms | p99 ms | errors |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
foreach (var (type, bag) in times.OrderBy(t => t.Key, StringComparer.Ordinal))
{
    var sorted = bag.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine($"| {type} | {sorted.Length} | {P(0.50):F1} | {P(0.95):F1} | {P(0.99):F1} | {errors.GetValueOrDefault(type)} |");
}

// Saturation: each connection a participant of its own holding page 1, then the static file.
var pageClients = new List<HttpClient>();
foreach (var token in pageTokens)
{
    var client = NewClient();
    await client.GetAsync("/s/" + token);
    pageClients.Add(client);
}
async Task<(double PerSecond, int Errors)> SaturateAsync(string path)
{
    var count = 0;
    var failed = 0;
    var until = Stopwatch.StartNew();
    await Task.WhenAll(pageClients.Select(client => Task.Run(async () =>
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
    return (count / until.Elapsed.TotalSeconds, failed);
}
await SaturateAsync("/css/participant.css"); // warm-up, not reported
var page = await SaturateAsync("/survey/page/1");
var file = await SaturateAsync("/css/participant.css");
var live = await SaturateAsync("/health/live");
Console.WriteLine($"saturation: liveness probe {live.PerSecond:F0} req/s ({live.Errors} errors)");
Console.WriteLine($"saturation: survey page {page.PerSecond:F0} req/s ({page.Errors} errors), static file {file.PerSecond:F0} req/s ({file.Errors} errors), " +
    $"ratio {100 * page.PerSecond / file.PerSecond:F1} %; load average {LoadAverage()}");
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
return errors.IsEmpty ? 0 : 1;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";
