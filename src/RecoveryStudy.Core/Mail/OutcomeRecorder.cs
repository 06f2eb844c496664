using System.Data.Common;

namespace RecoveryStudy.Mail;

/// <summary>
/// Writes a batch's send outcomes while the next emails are on the wire. Sent outcomes are
/// written together, <see cref="MailOptions.OutcomeGroupSize"/> at a time, in one statement;
/// any other outcome is written on its own, after the sent ones before it. A write is awaited
/// before the next one starts, so a dispatcher that dies leaves at most twice the group size of
/// sent messages unrecorded (the group being written, the one filling up, the one in flight);
/// their claims run out and they go out once more. Every other outcome is stored. Much of a
/// write's cost is per statement, not per outcome (groups of ten halved the database's share of a
/// send, bench/README.md), and on a small server that share limits the sending rate: hence the trade.
/// </summary>
internal sealed class OutcomeRecorder(DbConnection connection, string node, int groupSize)
{
    private readonly List<(long Id, string SmtpMessageId, DateTime At)> sent = [];
    private Task writing = Task.CompletedTask;

    public Task SentAsync(long id, string smtpMessageId, DateTime at)
    {
        sent.Add((id, smtpMessageId, at));
        return sent.Count >= groupSize ? StartAsync(null) : Task.CompletedTask;
    }

    /// <summary>An outcome other than sent, written after the sent outcomes recorded before it.</summary>
    public Task OtherAsync(Func<Task> write) => StartAsync(write);

    /// <summary>Waits for the write in progress, then writes everything recorded since and waits for that.</summary>
    public async Task FlushAsync()
    {
        await StartAsync(null);
        await writing;
    }

    private async Task StartAsync(Func<Task>? then)
    {
        await writing;
        var group = sent.ToArray();
        sent.Clear();
        // On the thread pool: binding a group's arrays and writing the statement took about a third
        // of a millisecond before the next email could start; now that happens while it is sent.
        writing = Task.Run(() => WriteAsync(group, then));
    }

    private async Task WriteAsync((long Id, string SmtpMessageId, DateTime At)[] group, Func<Task>? then)
    {
        if (group.Length > 0)
        {
            await DispatchOutcomes.SentAsync(connection, group, node);
        }
        if (then is not null)
        {
            await then();
        }
    }
}
