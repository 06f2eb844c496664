using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Loads a protocol file into the study's tables in one transaction: creates the study or adds
/// a protocol version to it. A file that does not validate, or that would remove a wave that
/// already has invitations, changes nothing. Changes apply to future sends only: the planner
/// reads the waves and anchors as they are now.
/// </summary>
public sealed class ProtocolImporter(StudyDbContext db, TimeProvider clock)
{
    public Task<ProtocolImportResult> ImportAsync(string json, Actor actor, CancellationToken ct) =>
        RunAsync(json, actor, inspect: null, ct);

    /// <summary>
    /// A dry run: does everything the import would do, inside a transaction that is rolled back;
    /// <paramref name="inspect"/> runs just before the rollback and sees the study as the file would
    /// leave it. Nothing is stored (not even the audit entry); the context's tracked entities are
    /// discarded afterwards.
    /// </summary>
    public async Task<ProtocolImportResult> TryAsync(string json, Actor actor, Func<DbConnection, DbTransaction, CancellationToken, Task> inspect,
        CancellationToken ct)
    {
        try
        {
            return await RunAsync(json, actor, inspect, ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task<ProtocolImportResult> RunAsync(string json, Actor actor, Func<DbConnection, DbTransaction, CancellationToken, Task>? inspect,
        CancellationToken ct)
    {
        var validation = ProtocolValidator.Validate(json);
        if (!validation.IsValid)
        {
            return ProtocolImportResult.Failed(validation.Problems);
        }
        var protocol = validation.Protocol!;
        var document = ProtocolJson.Serialize(protocol);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two imports of the same study take turns; the row lock is released at commit.
        var study = await db.Studies.FromSql($"SELECT * FROM studies WHERE code = {protocol.Study.Code} FOR UPDATE").SingleOrDefaultAsync(ct);
        var changes = new List<string>();
        var rescoped = false;
        if (study is not null)
        {
            var current = await db.ProtocolVersions.Where(v => v.Id == study.CurrentProtocolVersionId).SingleOrDefaultAsync(ct);
            if (current is not null && current.Sha256 == sha)
            {
                if (inspect is not null)
                {
                    await inspect(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
                }
                return new([], study.Id, current.Version, [$"no changes: the study already runs protocol version {current.Version}"]);
            }
            var earlierConsent = current is null ? null : ProtocolJson.Deserialize(current.Document).Consent;
            var blocked = ConsentImport.Problems(earlierConsent, protocol.Consent);
            blocked.AddRange(await WaveImport.RemovalProblemsAsync(db, study.Id, protocol, ct));
            if (blocked.Count > 0)
            {
                return ProtocolImportResult.Failed(blocked);
            }
            changes.AddRange(Differences.Between(StudyMapping.ToSettings(study), protocol.Study).Select(p => $"study: {p} changed"));
            changes.AddRange(RoleAndAnchorChanges(study, protocol));
            var scopeChanges = AnchorScopeChanges(study, protocol).ToList();
            changes.AddRange(scopeChanges);
            rescoped = scopeChanges.Count > 0;
            changes.AddRange(ConsentImport.Changes(earlierConsent, protocol.Consent));
        }
        else
        {
            study = new Study { Code = protocol.Study.Code, TimeZone = "", SenderName = "", SenderEmail = "", CreatedAt = now, Status = StudyStatus.Active };
            db.Studies.Add(study);
            changes.Add($"created study '{protocol.Study.Code}' with {protocol.Instruments.Count} instruments, {protocol.Waves.Count} waves and {protocol.Cohorts?.Count ?? 0} cohorts");
        }
        StudyMapping.Fill(study, protocol);
        await db.SaveChangesAsync(ct);
        if (rescoped)
        {
            // Whether a participant's own date counts has changed: every member is planned again.
            await db.Participants.Where(p => p.StudyId == study.Id && !p.ScheduleStale).ExecuteUpdateAsync(u => u.SetProperty(p => p.ScheduleStale, true), ct);
        }

        var details = new ImportDetails(db, study.Id, now, changes);
        await CohortImport.ApplyAsync(details, protocol, ct);
        var instrumentIds = await InstrumentImport.ApplyAsync(details, protocol, ct);
        await WaveImport.ApplyAsync(details, protocol, instrumentIds, ct);
        await InstrumentImport.RemoveUnusedAsync(details, protocol, ct);

        var version = (await db.ProtocolVersions.Where(v => v.StudyId == study.Id).MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
        var protocolVersion = new ProtocolVersion { StudyId = study.Id, Version = version, Document = document, Sha256 = sha, ImportedAt = now, ImportedByStaffUserId = actor.StaffUserId };
        db.ProtocolVersions.Add(protocolVersion);
        await db.SaveChangesAsync(ct);
        study.CurrentProtocolVersionId = protocolVersion.Id;
        changes.Add($"protocol version {version} is now current");
        AuditLog.Add(db, clock, actor, "protocol.import", study.Id, "protocol_version", version,
            new { version, instruments = protocol.Instruments.Count, waves = protocol.Waves.Count, changes = changes.Count });
        await db.SaveChangesAsync(ct);
        if (inspect is not null)
        {
            await inspect(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
            await transaction.RollbackAsync(ct);
            return new([], study.Id, version, changes);
        }
        await transaction.CommitAsync(ct);
        return new([], study.Id, version, changes);
    }

    private static IEnumerable<string> AnchorScopeChanges(Study study, ProtocolDocument protocol)
    {
        foreach (var anchor in protocol.Anchors)
        {
            var before = study.Anchors.FirstOrDefault(a => a.Code == anchor.Code)?.Scope;
            var after = anchor.Scope ?? AnchorScope.Participant;
            if (before is not null && before != after)
            {
                yield return after == AnchorScope.Team
                    ? $"anchor '{anchor.Code}' is now team-only: participants' own dates no longer count"
                    : $"anchor '{anchor.Code}' may now be given per participant";
            }
        }
    }

    private static IEnumerable<string> RoleAndAnchorChanges(Study study, ProtocolDocument protocol)
    {
        var roles = study.Roles.Select(r => r.Code).ToList();
        var anchors = study.Anchors.Select(a => a.Code).ToList();
        foreach (var added in protocol.Roles.Select(r => r.Code).Except(roles))
        {
            yield return $"role '{added}' added";
        }
        foreach (var removed in roles.Except(protocol.Roles.Select(r => r.Code)))
        {
            yield return $"role '{removed}' removed";
        }
        foreach (var added in protocol.Anchors.Select(a => a.Code).Except(anchors))
        {
            yield return $"anchor '{added}' added";
        }
        foreach (var removed in anchors.Except(protocol.Anchors.Select(a => a.Code)))
        {
            yield return $"anchor '{removed}' removed";
        }
    }
}

/// <summary>What every import step needs: the context, the study, the clock reading and the change list.</summary>
internal sealed record ImportDetails(StudyDbContext Db, int StudyId, DateTime Now, List<string> Changes);
