using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Imports;

/// <summary>A problem in an import file: where (line, column) and what; it never quotes an answer.</summary>
/// <summary>A problem in an import file or its mapping file (<paramref name="File"/>; <paramref name="Column"/> is then a JSON path).</summary>
public sealed record ImportError(int Line, string Column, string Kind, string Message, string? File = null)
{
    public override string ToString() =>
        File is null ? $"line {Line}, column {Column}: {Message} ({Kind})"
        : Line > 0 ? $"{File}, line {Line}, {Column}: {Message} ({Kind})"
        : $"{File}, {Column}: {Message} ({Kind})";
}

public sealed record ImportResult(int Responses, int Answers, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports one wave's answers to one instrument from an earlier survey tool's CSV export: a
/// "participant" column with study codes, one column per item code (choices and ratings as
/// their numeric codes, multiple choices as codes separated by ";", dates as yyyy-mm-dd), and an
/// optional "completed_at" (ISO 8601, UTC). Everything is checked against the instrument's
/// newest version first; any problem means nothing is written and every problem is listed.
/// Imported responses carry Source = "import".
/// </summary>
public static class AnswerImport
{
    public static Task<ImportResult> RunAsync(StudyDbContext db, TimeProvider clock, Actor actor, string studyCode, string waveCode, string instrumentCode, TextReader csv, CancellationToken ct) =>
        RunAsync(db, clock, actor, studyCode, waveCode, instrumentCode, csv, null, ct);

    /// <summary>With a mapping file (name, JSON text): source columns renamed to item codes and values recoded first.</summary>
    public static async Task<ImportResult> RunAsync(StudyDbContext db, TimeProvider clock, Actor actor, string studyCode, string waveCode,
        string instrumentCode, TextReader csv, (string Name, string Json)? mappingFile, CancellationToken ct)
    {
        var errors = new List<ImportError>();
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Code == studyCode, ct);
        var wave = study is null ? null : await db.Waves.Include(w => w.Instruments).SingleOrDefaultAsync(w => w.StudyId == study.Id && w.Code == waveCode, ct);
        var instrument = study is null ? null : await db.Instruments.SingleOrDefaultAsync(i => i.StudyId == study.Id && i.Code == instrumentCode, ct);
        if (study is null || wave is null || instrument is null || wave.Instruments.All(wi => wi.InstrumentId != instrument.Id))
        {
            var what = study is null ? $"no study '{studyCode}'" : wave is null ? $"no wave '{waveCode}'" : instrument is null ? $"no instrument '{instrumentCode}'" : $"wave '{waveCode}' does not ask '{instrumentCode}'";
            return new ImportResult(0, 0, [new ImportError(0, "", "unknown_target", what)]);
        }
        var version = await db.InstrumentVersions.Include(v => v.Items).ThenInclude(i => i.Options)
            .Where(v => v.InstrumentId == instrument.Id).OrderByDescending(v => v.Version).FirstAsync(ct);
        var records = CsvRows.Read(csv).ToList();
        if (records.Count == 0)
        {
            return new ImportResult(0, 0, [new ImportError(1, "", "empty_file", "the file is empty")]);
        }
        var items = version.Items.Where(i => i.Type != ItemType.Section).ToDictionary(i => i.Code, StringComparer.Ordinal);
        ColumnMapping? mapping = null;
        if (mappingFile is { } given)
        {
            (mapping, var mappingErrors) = ColumnMapping.Parse(given.Name, given.Json);
            mappingErrors.AddRange(mapping?.Check(items.Keys, $"{instrumentCode} version {version.Version}", [.. records[0].Fields.Select(f => f.Trim())]) ?? []);
            if (mappingErrors.Count > 0)
            {
                return new ImportResult(0, 0, mappingErrors);
            }
            (records, var lineErrors) = mapping!.Apply(records);
            errors.AddRange(lineErrors);
        }
        var header = records[0].Fields.Select(f => f.Trim()).ToArray();
        var participantColumn = Array.IndexOf(header, "participant");
        var completedColumn = Array.IndexOf(header, "completed_at");
        if (participantColumn < 0)
        {
            errors.Add(new ImportError(1, "participant", "missing_column", "the file has no 'participant' column"));
        }
        foreach (var (name, index) in header.Select((h, i) => (h, i)))
        {
            if (header.Take(index).Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new ImportError(1, name, "duplicate_column", $"column '{name}' appears twice"));
            }
            else if (name is not ("participant" or "completed_at") && !items.ContainsKey(name))
            {
                errors.Add(new ImportError(1, name, "unknown_column", $"'{name}' is not an item of {instrumentCode} version {version.Version}"));
            }
        }
        var participants = await db.Participants.Where(p => p.StudyId == study.Id).Select(p => new { p.Id, p.Code, p.Role }).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, ct);
        var answered = await db.Responses.Where(r => r.InstrumentVersion!.InstrumentId == instrument.Id && r.Invitation!.WaveId == wave.Id)
            .Select(r => r.Invitation!.ParticipantId).ToListAsync(ct);
        var rows = new List<(int ParticipantId, DateTime? CompletedAt, List<Answer> Answers)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Length != header.Length)
            {
                errors.Add(new ImportError(record.Line, "", "field_count", $"{record.Fields.Length} fields where the header has {header.Length}"));
                continue;
            }
            if (participantColumn < 0)
            {
                continue;
            }
            var code = record.Fields[participantColumn].Trim();
            if (!participants.TryGetValue(code, out var participant))
            {
                errors.Add(new ImportError(record.Line, "participant", "unknown_participant", $"no participant '{code}' in the study"));
                continue;
            }
            if (!seen.Add(code))
            {
                errors.Add(new ImportError(record.Line, "participant", "duplicate_participant", $"participant '{code}' appears on an earlier line"));
                continue;
            }
            if (answered.Contains(participant.Id))
            {
                errors.Add(new ImportError(record.Line, "participant", "already_answered", $"participant '{code}' already has answers to {instrumentCode} in {waveCode}"));
                continue;
            }
            DateTime? completedAt = null;
            if (completedColumn >= 0 && record.Fields[completedColumn].Trim() is { Length: > 0 } when)
            {
                if (DateTime.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    completedAt = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
                }
                else
                {
                    errors.Add(new ImportError(record.Line, "completed_at", "invalid_timestamp", "not an ISO 8601 date and time"));
                }
            }
            var values = header.Select((h, i) => (h, record.Fields[i].Trim())).Where(x => items.ContainsKey(x.h)).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal);
            var answers = new List<Answer>();
            foreach (var item in version.Items.Where(i => i.Type != ItemType.Section))
            {
                var text = values.GetValueOrDefault(item.Code) ?? "";
                if (text.Length == 0)
                {
                    if (item.Required && IsShown(item, values))
                    {
                        errors.Add(new ImportError(record.Line, item.Code, "required", $"{item.Code} is required"));
                    }
                    continue;
                }
                if (ImportValues.Parse(item, text, out var error) is { } answer)
                {
                    answers.Add(answer);
                }
                else
                {
                    errors.Add(new ImportError(record.Line, item.Code, error!.Value.Kind, error.Value.Message));
                }
            }
            rows.Add((participant.Id, completedAt, answers));
        }
        if (errors.Count > 0)
        {
            // With a mapping, errors name the source column, and a text the recode did not know is reported once, not again as "not a number".
            return new ImportResult(0, 0, mapping is null ? errors
                : [.. errors.Select(e => e.File is null && e.Column.Length > 0 && !e.Column.Contains('(', StringComparison.Ordinal) ? e with { Column = mapping.SourceOf(e.Column) } : e)
                    .GroupBy(e => (e.Line, e.Column.Length == 0 ? e.Kind : e.Column)).Select(g => g.First()).OrderBy(e => e.Line)]);
        }
        return await WriteAsync(db, clock, actor, study.Id, wave.Id, version, rows, ct);
    }

    private static async Task<ImportResult> WriteAsync(StudyDbContext db, TimeProvider clock, Actor actor, int studyId, int waveId, InstrumentVersion version,
        List<(int ParticipantId, DateTime? CompletedAt, List<Answer> Answers)> rows, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = rows.Select(r => r.ParticipantId).ToList();
        var invitations = await db.Invitations.Where(i => i.WaveId == waveId && ids.Contains(i.ParticipantId)).ToDictionaryAsync(i => i.ParticipantId, ct);
        foreach (var (participantId, completedAt, answers) in rows)
        {
            var at = completedAt ?? now;
            if (!invitations.TryGetValue(participantId, out var invitation))
            {
                // The earlier tool sent its own invitation; this one only records that the wave was answered.
                invitation = new Invitation
                {
                    StudyId = studyId, ParticipantId = participantId, WaveId = waveId, DueDate = DateOnly.FromDateTime(at),
                    OpensAt = at, ClosesAt = at.AddSeconds(1), PlannedAt = now, Status = InvitationStatus.Completed, CompletedAt = at,
                };
                db.Invitations.Add(invitation);
            }
            else if (invitation.Status != InvitationStatus.Completed)
            {
                invitation.Status = InvitationStatus.Completed;
                invitation.CompletedAt = at;
            }
            foreach (var answer in answers)
            {
                answer.AnsweredAt = at;
            }
            db.Responses.Add(new Response
            {
                Invitation = invitation, InstrumentVersionId = version.Id, Status = ResponseStatus.Complete, Source = "import",
                StartedAt = at, UpdatedAt = now, CompletedAt = at, Answers = answers,
            });
        }
        AuditLog.Add(db, clock, actor, "answers.import", studyId, "wave", waveId, new { instrumentVersionId = version.Id, responses = rows.Count, answers = rows.Sum(r => r.Answers.Count) });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ImportResult(rows.Count, rows.Sum(r => r.Answers.Count), []);
    }

    private static bool IsShown(Item item, Dictionary<string, string> values) =>
        item.ShowIfItemCode is null || item.ShowIfCodes is null
        || values.GetValueOrDefault(item.ShowIfItemCode) is { Length: > 0 } given
            && given.Split(';').Any(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && item.ShowIfCodes.Contains(c));
}
