using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>
/// The dashboard's consent line: participants (those the staff member may see) who agreed,
/// declined, or have not answered yet. A participant who declined any version counts as declined.
/// </summary>
public sealed record ConsentCounts(bool Asked, int Agreed, int Declined, int NotAnswered)
{
    public static async Task<ConsentCounts> ForStudyAsync(StudyDbContext db, int studyId, int? protocolVersionId, CancellationToken ct)
    {
        var asked = protocolVersionId is int id && await ConsentGate.DefinitionAsync(db, id, ct) is not null;
        var rows = await db.Participants.AsNoTracking().Where(p => p.StudyId == studyId)
            .Select(p => new
            {
                Declined = db.ConsentRecords.Any(c => c.ParticipantId == p.Id && c.Decision == ConsentDecision.Declined),
                Agreed = db.ConsentRecords.Any(c => c.ParticipantId == p.Id && c.Decision == ConsentDecision.Agreed),
            })
            .GroupBy(r => new { r.Declined, r.Agreed })
            .Select(g => new { g.Key.Declined, g.Key.Agreed, Count = g.Count() })
            .ToListAsync(ct);
        return new ConsentCounts(asked,
            rows.Where(r => r.Agreed && !r.Declined).Sum(r => r.Count),
            rows.Where(r => r.Declined).Sum(r => r.Count),
            rows.Where(r => !r.Agreed && !r.Declined).Sum(r => r.Count));
    }
}
