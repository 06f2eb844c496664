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
    /// <summary>
    /// Pauses or resumes the study (no wave code) or one wave; the one implementation behind the
    /// CLI verbs and the console buttons. Audited as study.pause|resume or wave.pause|resume with
    /// the study's or wave's id; asking for the state it is already in changes and records nothing.
    /// Returns the problem in words, or null when done.
    /// </summary>
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
            var wanted = pause ? StudyStatus.Paused : StudyStatus.Active;
            if (study.Status == wanted)
            {
                return null;
            }
            var before = study.Status;
            study.Status = wanted;
            study.PausedAt = pause ? now : null;
            AuditLog.Add(db, clock, actor, pause ? "study.pause" : "study.resume", study.Id, "study", study.Id, new { before, after = wanted });
        }
        else
        {
            var wave = await db.Waves.SingleOrDefaultAsync(w => w.StudyId == study.Id && w.Code == waveCode, cancellationToken);
            if (wave is null)
            {
                return $"study {studyCode} has no wave {waveCode}";
            }
            var wanted = pause ? WaveStatus.Paused : WaveStatus.Active;
            if (wave.Status == wanted)
            {
                return null;
            }
            wave.Status = wanted;
            wave.PausedAt = pause ? now : null;
            AuditLog.Add(db, clock, actor, pause ? "wave.pause" : "wave.resume", study.Id, "wave", wave.Id, new { wave = wave.Code });
        }
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
