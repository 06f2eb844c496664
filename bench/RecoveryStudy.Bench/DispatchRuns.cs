using System.Diagnostics;
using Dapper;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Bench;

/// <summary>One measured sending run: how many, how long, and the CPU seconds each party used.</summary>
internal sealed record SendRun(int Sent, double Seconds, double ServerCpu, double OwnCpu, double SinkCpu)
{
    public double Rate => Sent / Seconds;
}

/// <summary>
/// The dispatcher over a fresh set of due invitation emails (each to a different participant),
/// and the ceiling: the same emails composed beforehand and sent by a bare MailKit loop over one
/// connection to the same sink.
/// </summary>
internal static class DispatchRuns
{
    public static async Task<SendRun> DispatcherAsync(BenchWorld world, NpgsqlDataSource dataSource, TimeProvider clock, int count, int groupSize, int batchSize,
        IMailTransport? relay = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                UPDATE messages SET next_attempt_at = @now
                WHERE id IN (SELECT id FROM messages WHERE kind = 'invitation' AND status = 'queued' AND next_attempt_at > @now ORDER BY id LIMIT @count)
                """, new { now, count }, commandTimeout: 600);
        }
        var settings = new SmtpSettings { Host = "127.0.0.1", Port = world.SmtpPort, Security = "None" };
        var options = new MailOptions { Transport = MailOptions.SmtpTransport, Smtp = settings, RatePerMinute = 0, BatchSize = batchSize, OutcomeGroupSize = groupSize };
        var dispatcher = new Dispatcher(dataSource, relay ?? new SmtpMailTransport(settings), Options.Create(options),
            Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), clock, NullLogger<Dispatcher>.Instance);
        var (server, own, sink) = (world.ServerCpuSeconds(), BenchWorld.OwnCpuSeconds(), world.SinkCpuSeconds());
        var watch = Stopwatch.StartNew();
        var sent = 0;
        DispatchResult result;
        do
        {
            result = await dispatcher.DispatchBatchAsync(CancellationToken.None);
            sent += result.Sent;
        }
        while (result.Due > 0);
        watch.Stop();
        return new SendRun(sent, watch.Elapsed.TotalSeconds, world.ServerCpuSeconds() - server, BenchWorld.OwnCpuSeconds() - own, world.SinkCpuSeconds() - sink);
    }

    public static async Task<SendRun> RawLoopAsync(BenchWorld world, int count)
    {
        var texts = System.Text.Json.JsonSerializer.Deserialize<WaveEmailTexts>(
            """{"invitation":{"subject":{"en":"{wave_title}"},"body":{"en":"{salutation},\n\nPlease answer: {link}\n\nOpen until {close_date} ({days_left} days left)."}}}""",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        // The same emails the dispatcher builds (same parts, headers and size), composed before the clock starts.
        var prepared = Enumerable.Range(0, count).Select(i => EmailComposer.Compose(new EmailInput(
            1_000_000 + i, "invitation", 0, "en", "en", new LocalizedText { ["en"] = "Bench study" },
            new LocalizedText { ["en"] = "Wave" }, texts, "Study team", "study@example.org", null, $"raw{i}@example.org",
            "Participant P-" + i, new DateOnly(2027, 3, 15), new DateOnly(2027, 3, 1), "https://study.example.org/s/" + new string('x', 43),
            "https://study.example.org/u/" + new string('y', 43), "example.org", DateTimeOffset.UtcNow))).ToList();
        using var client = new SmtpClient();
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", world.SmtpPort);
        await client.ConnectAsync(socket, "127.0.0.1", world.SmtpPort, SecureSocketOptions.None);
        var (server, own, sink) = (world.ServerCpuSeconds(), BenchWorld.OwnCpuSeconds(), world.SinkCpuSeconds());
        var watch = Stopwatch.StartNew();
        foreach (var message in prepared)
        {
            await client.SendAsync(message);
        }
        watch.Stop();
        var run = new SendRun(count, watch.Elapsed.TotalSeconds, world.ServerCpuSeconds() - server, BenchWorld.OwnCpuSeconds() - own, world.SinkCpuSeconds() - sink);
        await client.DisconnectAsync(true);
        // Untimed. Left to their finalizers, these emails would survive into the next run's first
        // collections (MimeKit's messages have finalizers) and slow the dispatcher measured after it.
        prepared.ForEach(message => message.Dispose());
        return run;
    }
}

