using RecoveryStudy.Data;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Web.Cli;

/// <summary>The data verbs' refusal of a wave, cohort or role the study does not know: each one on standard error.</summary>
internal static class UnknownFilterValues
{
    /// <summary>True when something was unknown (and said so): the verb then exits with 1.</summary>
    public static async Task<bool> WriteAsync(StudyDbContext db, StudyLayout layout, ParticipantFilter filter, CancellationToken ct, params (string Option, string? Code)[] waves)
    {
        var unknown = (await FilterValues.LoadAsync(db, layout, ct)).Unknown(filter, waves);
        foreach (var problem in unknown)
        {
            await Console.Error.WriteLineAsync(problem);
        }
        return unknown.Count > 0;
    }
}
