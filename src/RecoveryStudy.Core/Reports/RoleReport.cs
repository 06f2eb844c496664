using Dapper;
using Npgsql;

namespace RecoveryStudy.Reports;

/// <summary>One wave's figures for one role, in one team (cohort) or all together (Figures.Cohort null).</summary>
public sealed record RoleResponseRow(string Role, string Wave, string Kind, ResponseRow Figures);

/// <summary>
/// Questionnaire and interview completion per wave, per role and per team: the response report
/// (<see cref="ResponseReport"/>, the one definition of eligible, invited, completed and missed)
/// computed over each role's participants in turn. A missed interview counts as missed, as an
/// unanswered questionnaire whose window closed does; a wave appears for a role only when some of
/// its participants are eligible for it.
/// </summary>
public static class RoleReport
{
    /// <summary>Null when no study has this code; <paramref name="role"/> limits it to one role.</summary>
    public static async Task<IReadOnlyList<RoleResponseRow>?> ComputeAsync(NpgsqlDataSource dataSource, string studyCode, int[]? sites, string? role, CancellationToken ct)
    {
        List<string> roles;
        Dictionary<string, string> kinds;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var study = await connection.QuerySingleOrDefaultAsync<int?>("SELECT id FROM studies WHERE code = @studyCode", new { studyCode });
            if (study is null)
            {
                return null;
            }
            roles = [.. await connection.QueryAsync<string>(
                "SELECT DISTINCT role FROM participants WHERE study_id = @study AND (@role::text IS NULL OR role = @role) ORDER BY role", new { study, role })];
            kinds = (await connection.QueryAsync<(string Code, string Kind)>("SELECT code, kind FROM waves WHERE study_id = @study", new { study }))
                .ToDictionary(w => w.Code, w => w.Kind, StringComparer.Ordinal);
        }
        var rows = new List<RoleResponseRow>();
        foreach (var code in roles)
        {
            var report = await ResponseReport.ComputeAsync(dataSource, studyCode, sites, code, ct);
            rows.AddRange(report!.Rows.Select(r => new RoleResponseRow(code, r.Wave, kinds[r.Wave], r)));
        }
        return rows;
    }
}
