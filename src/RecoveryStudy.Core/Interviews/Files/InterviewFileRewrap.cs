using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Interviews.Files;

/// <summary>
/// Moves every stored file key onto the current master key (<c>Interviews:FileKeyId</c>): each is
/// unwrapped with the key it names and wrapped again, the content untouched. Afterwards no file
/// names an older key, which can then be removed from configuration. Safe to run twice.
/// </summary>
public static class InterviewFileRewrap
{
    public static async Task<int> RunAsync(StudyDbContext db, InterviewFileOptions options, TimeProvider clock, CancellationToken ct)
    {
        var current = options.FileKeyId ?? throw new InvalidOperationException("Interviews:FileKeyId names no key to wrap with.");
        var target = options.Key(current) ?? throw new InvalidOperationException($"Interviews:FileKeys:{current} is not configured.");
        var moved = 0;
        while (await db.InterviewFiles.Where(f => f.KeyId != current).OrderBy(f => f.Id).Take(500).ToListAsync(ct) is { Count: > 0 } batch)
        {
            foreach (var file in batch)
            {
                var old = options.Key(file.KeyId) ?? throw new InvalidOperationException($"File {file.Id} is wrapped by Interviews:FileKeys:{file.KeyId}, which is not configured.");
                file.WrappedKey = InterviewFileCipher.Wrap(target, file.Id, InterviewFileCipher.Unwrap(old, file.Id, file.WrappedKey));
                file.KeyId = current;
            }
            moved += batch.Count;
            AuditLog.Add(db, clock, Actor.Cli, "interview.file.rewrap", null, "master_key", current, new { files = batch.Count });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return moved;
    }
}
