using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>One interview task as the console lists it: participant code only, never contact details.</summary>
public sealed record InterviewRow(long Id, string ParticipantCode, string ParticipantStatus, string WaveCode, DateOnly DueDate, DateOnly OpensOn,
    DateOnly ClosesOn, string Status, int? InterviewerId, string? Interviewer, DateOnly? CompletedOn, int? DurationMinutes, string? Mode);

internal static class InterviewRows
{
    /// <summary>The study's tasks, filtered on the task row (EF Core cannot filter on the projected record).</summary>
    public static IQueryable<InterviewRow> Query(StudyDbContext db, int studyId, long? taskId = null, int? interviewerId = null, string? status = null) =>
        from t in db.InterviewTasks.AsNoTracking()
        where t.StudyId == studyId && (taskId == null || t.Id == taskId) && (interviewerId == null || t.InterviewerId == interviewerId)
            && (status == null || t.Status == status)
        join p in db.Participants on t.ParticipantId equals p.Id
        join w in db.Waves on t.WaveId equals w.Id
        join u in db.StaffUsers on t.InterviewerId equals (int?)u.Id into assigned
        from u in assigned.DefaultIfEmpty()
        orderby t.OpensOn, p.Code, w.Position
        select new InterviewRow(t.Id, p.Code, p.Status, w.Code, t.DueDate, t.OpensOn, t.ClosesOn, t.Status, t.InterviewerId,
            u == null ? null : u.Email, t.CompletedOn, t.DurationMinutes, t.Mode);
}
