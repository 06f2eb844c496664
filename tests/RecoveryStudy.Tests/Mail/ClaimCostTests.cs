using System.Text.Json;
using Npgsql;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// A claim costs its batch, not everything that is due: with 20,000 messages due at once (each
/// participant also sent an email an hour ago, after the server last analysed the tables), the
/// dispatcher's two claim reads for a batch of 50 touch a few pages per message claimed. Before,
/// with such statistics, every claim joined and sorted all due messages (a dispatch of 100,000 due
/// emails cost the database a join of 100,000 rows per batch of 500), and the daily-cap lookup
/// scanned every message.
/// </summary>
public sealed class ClaimCostTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Due = 20_000;
    private const int Batch = 50;

    [Fact]
    public async Task Claiming_a_batch_of_fifty_among_twenty_thousand_due_reads_a_few_pages_per_message()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var now = world.Clock.GetUtcNow().UtcDateTime;
        await using var connection = await world.DataSource.OpenConnectionAsync();
        await using (var seed = new NpgsqlCommand(
            """
            INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
            SELECT @study, 'DUE-' || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', @now, @now, false
            FROM generate_series(1, @count) g;
            INSERT INTO contact_details (participant_id, study_id, email, updated_at)
            SELECT id, @study, lower(code) || '@example.org', @now FROM participants WHERE study_id = @study AND code LIKE 'DUE-%';
            INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at, sent_at, reminders_planned_at)
            SELECT @study, p.id, @wave, 'sent', DATE '2027-03-01', @now - interval '1 hour', @now + interval '14 days', @now, @now - interval '1 hour', @now
            FROM participants p WHERE p.study_id = @study AND p.code LIKE 'DUE-%';
            INSERT INTO messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, created_at)
            SELECT i.id, 'invitation', 0, 'queued', @now - interval '1 hour', @now - interval '1 hour', 0, 0, @now
            FROM invitations i WHERE i.study_id = @study;
            INSERT INTO messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, created_at)
            SELECT i.id, 'reminder', 1, 'queued', @now, @now, 0, 0, @now
            FROM invitations i WHERE i.study_id = @study;
            ANALYZE participants;
            ANALYZE contact_details;
            ANALYZE invitations;
            ANALYZE messages;
            -- Sent since the server last analysed the table, as on a busy day of sending: its
            -- statistics know of no sent message.
            UPDATE messages SET status = 'sent', attempts = 1, sent_at = @now - interval '1 hour'
            WHERE kind = 'invitation' AND invitation_id IN (SELECT id FROM invitations WHERE study_id = @study);
            """, connection))
        {
            seed.Parameters.AddWithValue("study", world.Study.Id);
            seed.Parameters.AddWithValue("wave", world.Wave.Id);
            seed.Parameters.AddWithValue("now", now);
            seed.Parameters.AddWithValue("count", Due);
            await seed.ExecuteNonQueryAsync();
        }

        var (candidates, candidatePages) = await RunAsync(connection, DispatchClaim.CandidatesSql, ("now", now), ("batch", Batch));
        var participants = candidates.ToArray();
        var (recent, recentPages) = await RunAsync(connection, MailGate.SentRecentlySql,
            ("now", now), ("since", now.AddHours(-26)), ("participants", participants));

        Assert.Equal(Batch, candidates.Count);
        Assert.Equal(Batch, recent.Count);
        // Six tables joined by primary key: about 13 pages per message. A join of all 20,000 due
        // messages would read about 200,000; a scan of the 40,000 messages about 700.
        Assert.True(candidatePages <= Batch * 20, $"the claim read {candidatePages} pages for {Batch} messages");
        Assert.True(recentPages <= Batch * 10, $"the daily-cap lookup read {recentPages} pages for {Batch} participants");
    }

    /// <summary>
    /// The participants of the statement's rows and the shared buffers it touched (EXPLAIN ANALYZE),
    /// each run for real, as the claim runs them (after <see cref="DispatchClaim.FollowTheIndexSql"/>),
    /// in a transaction that is rolled back.
    /// </summary>
    private static async Task<(List<int> Participants, long Pages)> RunAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var participants = new List<int>();
        await using (var transaction = await ClaimTransactionAsync(connection))
        {
            await using var query = Command(connection, transaction, sql, parameters);
            await using (var reader = await query.ExecuteReaderAsync())
            {
                var column = reader.GetOrdinal("participant_id");
                while (await reader.ReadAsync())
                {
                    participants.Add(reader.GetInt32(column));
                }
            }
            await transaction.RollbackAsync();
        }
        await using (var transaction = await ClaimTransactionAsync(connection))
        {
            await using var explain = Command(connection, transaction, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, parameters);
            var json = (string)(await explain.ExecuteScalarAsync())!;
            await transaction.RollbackAsync();
            var plan = JsonDocument.Parse(json).RootElement[0].GetProperty("Plan");
            return (participants, plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64());
        }
    }

    /// <summary>A transaction with the claim's planner settings, as <c>DispatchClaim.ClaimAsync</c> opens it.</summary>
    private static async Task<NpgsqlTransaction> ClaimTransactionAsync(NpgsqlConnection connection)
    {
        var transaction = await connection.BeginTransactionAsync();
        await using var settings = new NpgsqlCommand(DispatchClaim.FollowTheIndexSql, connection, transaction);
        await settings.ExecuteNonQueryAsync();
        return transaction;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
