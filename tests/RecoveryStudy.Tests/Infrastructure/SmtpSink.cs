using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MimeKit;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (aiosmtpd under Debian's /usr/bin/python3) whose received
/// messages a test can read, and whose answers (4xx, 5xx, dropped connections) a test can set.
/// </summary>
public sealed class SmtpSink : IAsyncLifetime
{
    private readonly string? introspectionUrl;
    private Process? process;

    public SmtpSink()
    {
    }

    /// <summary>A relay that requires AUTH XOAUTH2 and asks this RFC 7662 endpoint whether each token is active.</summary>
    internal SmtpSink(string introspectionUrl) => this.introspectionUrl = introspectionUrl;

    public int Port { get; private set; }
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "rs-smtp-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>The relay goes down: the server process is killed, connections are refused until <see cref="StartAsync"/>.</summary>
    public Task StopAsync()
    {
        StopProcess();
        return Task.CompletedTask;
    }

    /// <summary>Starts the server (again) on the same port and folder; messages already received stay.</summary>
    public async Task StartAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "smtp_sink.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Folder);
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (introspectionUrl is not null)
        {
            start.ArgumentList.Add(introspectionUrl);
        }
        process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "READY")
        {
            throw new InvalidOperationException("SMTP sink did not start: " + await process.StandardError.ReadToEndAsync());
        }
    }

    public Task DisposeAsync()
    {
        StopProcess();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private void StopProcess()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process?.Dispose();
        process = null;
    }

    /// <summary>The most SMTP sessions open at the same moment since <paramref name="since"/> (sessions.log).</summary>
    public int MaxConcurrentSessions(DateTimeOffset since)
    {
        var (open, max) = (0, 0);
        foreach (var (sign, at) in SessionEvents().Where(e => e.Event is "+" or "-"))
        {
            open += sign == "+" ? 1 : -1;
            if (at >= since)
            {
                max = Math.Max(max, open);
            }
        }
        return max;
    }

    /// <summary>When each message was accepted, in order.</summary>
    public IReadOnlyList<DateTimeOffset> AcceptedAt() => SessionEvents().Where(e => e.Event == "250").Select(e => e.At).ToList();

    /// <summary>XOAUTH2 sign-ins the relay accepted and refused so far.</summary>
    public (int Accepted, int Refused) SignIns()
    {
        var events = SessionEvents().Select(e => e.Event).ToList();
        return (events.Count(e => e == "auth-ok"), events.Count(e => e == "auth-refused"));
    }

    private IEnumerable<(string Event, DateTimeOffset At)> SessionEvents()
    {
        var path = Path.Combine(Folder, "sessions.log");
        if (!File.Exists(path))
        {
            yield break;
        }
        foreach (var line in File.ReadAllLines(path).Where(l => l.Contains(' ', StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            var seconds = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            yield return (parts[0], DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
        }
    }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>The envelope sender (MAIL FROM) of every message received so far, in arrival order, beside the message.</summary>
    public IReadOnlyList<(MimeMessage Message, string MailFrom)> MessagesWithEnvelopeSender() =>
        Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => (MimeMessage.Load(f), JsonDocument.Parse(File.ReadAllText(f[..^4] + ".envelope.json")).RootElement.GetProperty("mail_from").GetString() ?? ""))
            .ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        await Poll.UntilAsync(() => Directory.GetFiles(Folder, "*.eml").Length >= count, timeout ?? TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        return Messages();
    }

    /// <summary>Answers RCPT TO for an address with a fixed reply, e.g. (550, "5.1.1 No such user").</summary>
    public void RejectRecipient(string address, int code, string text) =>
        UpdateRules(r => r.Rcpt[address.ToLowerInvariant()] = [code.ToString(System.Globalization.CultureInfo.InvariantCulture), text]);

    /// <summary>Answers the next DATA commands with these replies, one each, then accepts again.</summary>
    public void FailNextData(params (int Code, string Text)[] replies) =>
        UpdateRules(r => r.DataFailures.AddRange(replies.Select(x => new[] { x.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Text })));

    /// <summary>Closes the connection right after the next <paramref name="times"/> message bodies (an "unknown" outcome).</summary>
    public void DropAfterData(int times) => UpdateRules(r => r.DropAfterData = times);

    /// <summary>Answers each DATA only after this delay (a slow relay); zero answers at once again.</summary>
    public void DelayData(TimeSpan delay) => UpdateRules(r => r.DataDelayMs = (int)delay.TotalMilliseconds);

    private void UpdateRules(Action<Rules> change)
    {
        var path = Path.Combine(Folder, "rules.json");
        var rules = File.Exists(path) ? JsonSerializer.Deserialize<Rules>(File.ReadAllText(path), JsonOptions) ?? new Rules() : new Rules();
        change(rules);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(rules, JsonOptions));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed class Rules
    {
        public Dictionary<string, string[]> Rcpt { get; set; } = [];
        public List<string[]> DataFailures { get; set; } = [];
        public int DropAfterData { get; set; }
        public int DataDelayMs { get; set; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
