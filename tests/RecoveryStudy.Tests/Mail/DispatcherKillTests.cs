using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// A real dispatcher process (`RecoveryStudy.Web mail dispatch`) killed in the middle of a batch,
/// then a second process started after the claim lease ran out.
/// </summary>
public sealed class DispatcherKillTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Count = 300;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(1)]
    [InlineData(MailOptions.DefaultOutcomeGroupSize)]
    public async Task A_killed_dispatcher_process_loses_nothing_and_a_restart_delivers_the_rest(int outcomeGroupSize)
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: []);
        await world.EnrollAsync(Count, "X-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        // The processes run on the real clock: every message due now, at any hour and day.
        await world.Db.Database.ExecuteSqlRawAsync(
            """
            UPDATE studies SET send_hours_start = '00:00', send_hours_end = '23:59:59.999999', send_days = ARRAY[1,2,3,4,5,6,7],
                               max_emails_per_participant_per_day = 10 WHERE id = {0};
            UPDATE invitations SET opens_at = now() - interval '1 day', closes_at = now() + interval '30 days' WHERE study_id = {0};
            UPDATE messages SET next_attempt_at = now() - interval '1 minute'
            WHERE invitation_id IN (SELECT id FROM invitations WHERE study_id = {0});
            -- This plan, edited by hand for the real clock, is the one in force (the study's update asked for a re-plan).
            UPDATE participants SET schedule_stale = false WHERE study_id = {0};
            """, world.Study.Id);
        Assert.Equal(Count, (await world.MessagesAsync()).Count);

        // A slow relay, so that the kill lands in the middle of the first batch of 100.
        sink.DelayData(TimeSpan.FromMilliseconds(30));
        using (var first = StartDispatcher(outcomeGroupSize))
        {
            await Poll.UntilAsync(async () => await SentAsync(world) >= 30 || first.HasExited, TimeSpan.FromSeconds(60));
            if (first.HasExited)
            {
                Assert.Fail("the first dispatcher ended before it could be killed: " + await first.StandardError.ReadToEndAsync());
            }
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        sink.DelayData(TimeSpan.Zero);
        var afterKill = await world.MessagesAsync();
        var stranded = afterKill.Count(m => m.Status == MessageStatus.Sending);
        var deliveredBeforeRestart = (await DeliveriesAsync(world)).Count;
        Assert.True(stranded > 0, "the kill left no claimed message behind: it did not land in the middle of a batch");
        Assert.True(deliveredBeforeRestart < Count, "everything was delivered before the kill");

        // The stranded claims go back to the queue once their lease ran out; the restart sends them.
        Assert.True(await Poll.UntilAsync(async () => (await world.MessagesAsync()).Where(m => m.Status == MessageStatus.Sending).All(m => m.ClaimedUntil < DateTime.UtcNow),
            Lease + TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), "the stranded claims' lease did not run out");
        using (var second = StartDispatcher(outcomeGroupSize))
        {
            var stderr = second.StandardError.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(second.ExitCode == 0, "the restarted dispatcher failed: " + await stderr);
        }

        var messages = await world.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(MessageStatus.Sent, m.Status));
        var deliveries = await DeliveriesAsync(world);
        Assert.Equal(Count, deliveries.Count);
        var duplicates = deliveries.Sum(d => d.Value - 1);
        output.WriteLine($"outcomes written {outcomeGroupSize} at a time: dispatcher process killed after {deliveredBeforeRestart} of {Count} deliveries with {stranded} claims stranded; " +
            $"after the restart all {Count} delivered, {duplicates} delivered twice");
        // At most the emails sent and not yet recorded when the process died: the group being written and
        // the outcomes waiting for it, which the send stage keeps within one group (two when each is written on its own).
        Assert.InRange(duplicates, 0, 2 * outcomeGroupSize);
    }

    /// <summary>The built host (copied next to this test assembly) running `mail dispatch` against the test database and the sink.</summary>
    private Process StartDispatcher(int outcomeGroupSize)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RecoveryStudy.Web.dll"));
        start.ArgumentList.Add("mail");
        start.ArgumentList.Add("dispatch");
        var environment = start.Environment;
        environment["ConnectionStrings__Main"] = database.ConnectionString;
        environment["Mail__Transport"] = MailOptions.SmtpTransport;
        environment["Mail__Smtp__Host"] = "127.0.0.1";
        environment["Mail__Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        environment["Mail__Smtp__Security"] = nameof(SmtpSecurity.None);
        environment["Mail__Smtp__Timeout"] = "00:00:10";
        environment["Mail__BatchSize"] = "100";
        environment["Mail__OutcomeGroupSize"] = outcomeGroupSize.ToString(CultureInfo.InvariantCulture);
        environment["Mail__RatePerMinute"] = "0";
        environment["Mail__ClaimLease"] = Lease.ToString("c", CultureInfo.InvariantCulture);
        // The killed process's connection slot frees on the same short lease as its claims (the theory's
        // cases share one sink, so one relay and its slot).
        environment["Mail__ConnectionLease"] = Lease.ToString("c", CultureInfo.InvariantCulture);
        environment["Mail__RunBudget"] = "00:01:30";
        environment["App__PublicBaseUrl"] = "https://study.example.org";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the dispatcher process");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<int> SentAsync(MailWorld world)
    {
        await using var command = world.DataSource.CreateCommand(
            "SELECT count(*) FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = $1 AND m.status = 'sent'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = world.Study.Id });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>How often each of this test's messages arrived at the sink.</summary>
    private async Task<Dictionary<string, int>> DeliveriesAsync(MailWorld world)
    {
        var ours = (await world.MessagesAsync()).Select(m => EmailComposer.MessageIdFor(m.Id, "example.org")).ToHashSet();
        return sink.Messages().Where(m => m.MessageId is not null && ours.Contains(m.MessageId)).GroupBy(m => m.MessageId!)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}
