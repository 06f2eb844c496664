using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// Pause and resume a study or one wave. Pausing stops sending at once (the dispatcher claims
/// nothing of a paused study or wave); resuming marks the participants for re-planning (a
/// database trigger on the status), so what fell due inside open windows goes out, one reminder
/// per person, spread by the rate limit.
/// </summary>
public static class Pausing
{
    public static async Task<string?> SetAsync(StudyDbContext db, TimeProvider clock, Actor actor, string studyCode, string? waveCode, bool pause,
        CancellationToken cancellationToken)
    {
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Code == studyCode, cancellationToken);
        if (study is null)
        {
            return $"no study with code {studyCode}";
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (waveCode is null)
        {
            if (study.Status is StudyStatus.Closed or StudyStatus.Draft)
            {
                return $"study {studyCode} is {study.Status}; only an active or paused study can be paused or resumed";
            }
            study.Status = pause ? StudyStatus.Paused : StudyStatus.Active;
            study.PausedAt = pause ? now : null;
        }
        else
        {
            var wave = await db.Waves.SingleOrDefaultAsync(w => w.StudyId == study.Id && w.Code == waveCode, cancellationToken);
            if (wave is null)
            {
                return $"study {studyCode} has no wave {waveCode}";
            }
            wave.Status = pause ? WaveStatus.Paused : WaveStatus.Active;
            wave.PausedAt = pause ? now : null;
        }
        AuditLog.Add(db, clock, actor, pause ? "sending.pause" : "sending.resume", study.Id, waveCode is null ? "study" : "wave",
            waveCode ?? studyCode);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
