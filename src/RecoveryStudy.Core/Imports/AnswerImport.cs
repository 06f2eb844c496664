using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Imports;

/// <summary>A problem in an import file or its mapping file (<paramref name="File"/>; <paramref name="Column"/> is then a JSON path).</summary>
public sealed record ImportError(int Line, string Column, string Kind, string Message, string? File = null)
{
    public override string ToString() =>
        File is null ? $"line {Line}, column {Column}: {Message} ({Kind})"
        : Line > 0 ? $"{File}, line {Line}, {Column}: {Message} ({Kind})"
        : $"{File}, {Column}: {Message} ({Kind})";
}

/// <summary>
/// Item nonresponse in an import: of the imported responses, how many showed the item (its show-if
/// met, or none) and how many of those left it empty.
/// </summary>
public sealed record ItemGap(string Item, int Shown, int Empty);

public sealed record ImportResult(int Responses, int Answers, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Items left empty where shown, in the instrument's order; only items with at least one gap.</summary>
    public IReadOnlyList<ItemGap> Gaps { get; init; } = [];
}

/// <summary>
/// Imports one wave's answers to one instrument from an earlier survey tool's CSV export: a
/// "participant" column with study codes, one column per item code (choices and ratings as
/// their numeric codes, multiple choices as codes separated by ";", dates as yyyy-mm-dd), and an
/// optional "completed_at" (ISO 8601, UTC) and "due_date" (yyyy-mm-dd). Everything is checked
/// against the instrument's newest version first; any problem means nothing is written and every
/// problem is listed. An empty cell is item nonresponse, recorded and counted (required is a rule
/// of the participant pages, not of history); an answer behind a show-if that its gate closes is
/// refused. Invitations the import creates are dated by the plan (see <see cref="ImportDating"/>).
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
        var version = await db.InstrumentVersions.Include(v => v.Items).ThenInclude(i => i.Options).AsSingleQuery()
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
        var dueColumn = Array.IndexOf(header, "due_date");
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
            else if (name is not ("participant" or "completed_at" or "due_date") && !items.ContainsKey(name))
            {
                errors.Add(new ImportError(1, name, "unknown_column", $"'{name}' is not an item of {instrumentCode} version {version.Version}"));
            }
        }
        var participants = await db.Participants.Where(p => p.StudyId == study.Id).Select(p => new { p.Id, p.Code, p.Role }).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, ct);
        var answered = await db.Responses.Where(r => r.InstrumentVersion!.InstrumentId == instrument.Id && r.Invitation!.WaveId == wave.Id)
            .Select(r => r.Invitation!.ParticipantId).ToListAsync(ct);
        var invited = await db.Invitations.Where(i => i.WaveId == wave.Id).Select(i => i.ParticipantId).ToListAsync(ct);
        var dating = await ImportDating.LoadAsync(db, study.Id, wave.Id, [.. participants.Values.Select(p => p.Id)], ct);
        var dataItems = version.Items.Where(i => i.Type != ItemType.Section).ToList();
        var shown = new int[dataItems.Count];
        var empty = new int[dataItems.Count];
        var rows = new List<ImportRow>();
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
            DateOnly? dueGiven = null;
            if (dueColumn >= 0 && record.Fields[dueColumn].Trim() is { Length: > 0 } due)
            {
                if (DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedDue))
                {
                    dueGiven = parsedDue;
                }
                else
                {
                    errors.Add(new ImportError(record.Line, "due_date", "invalid_date", "due_date needs a date as yyyy-mm-dd"));
                }
            }
            var dates = invited.Contains(participant.Id) ? null : dating.For(participant.Id, dueGiven);
            if (!invited.Contains(participant.Id) && dates is null && (dueColumn < 0 || record.Fields[dueColumn].Trim().Length == 0))
            {
                errors.Add(new ImportError(record.Line, "due_date", "no_due_date",
                    $"participant '{code}' has no '{dating.Anchor}' date, so the plan gives no due date for {waveCode}; give it in a due_date column (yyyy-mm-dd)"));
            }
            var values = header.Select((h, i) => (h, record.Fields[i].Trim())).Where(x => items.ContainsKey(x.h)).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal);
            var answers = new List<Answer>();
            for (var k = 0; k < dataItems.Count; k++)
            {
                var item = dataItems[k];
                var text = values.GetValueOrDefault(item.Code) ?? "";
                var isShown = IsShown(item, values);
                if (text.Length == 0)
                {
                    shown[k] += isShown ? 1 : 0;
                    empty[k] += isShown ? 1 : 0;
                    continue;
                }
                if (!isShown)
                {
                    errors.Add(new ImportError(record.Line, item.Code, "not_shown",
                        $"{item.Code} is shown only when {item.ShowIfItemCode} is one of {string.Join(", ", item.ShowIfCodes ?? [])}; leave it empty or correct {item.ShowIfItemCode}"));
                    continue;
                }
                shown[k]++;
                if (ImportValues.Parse(item, text, out var error) is { } answer)
                {
                    answers.Add(answer);
                }
                else
                {
                    errors.Add(new ImportError(record.Line, item.Code, error!.Value.Kind, error.Value.Message));
                }
            }
            rows.Add(new ImportRow(participant.Id, completedAt, dates, answers));
        }
        if (errors.Count > 0)
        {
            // With a mapping, errors name the source column, and a text the recode did not know is reported once, not again as "not a number".
            return new ImportResult(0, 0, mapping is null ? errors
                : [.. errors.Select(e => e.File is null && e.Column.Length > 0 && !e.Column.Contains('(', StringComparison.Ordinal) ? e with { Column = mapping.SourceOf(e.Column) } : e)
                    .GroupBy(e => (e.Line, e.Column.Length == 0 ? e.Kind : e.Column)).Select(g => g.First()).OrderBy(e => e.Line)]);
        }
        var written = await WriteAsync(db, clock, actor, study.Id, wave.Id, version, rows, ct);
        return written with { Gaps = [.. dataItems.Select((item, k) => new ItemGap(item.Code, shown[k], empty[k])).Where(g => g.Empty > 0)] };
    }

    private sealed record ImportRow(int ParticipantId, DateTime? CompletedAt, ImportedInvitationDates? Dates, List<Answer> Answers);

    private static async Task<ImportResult> WriteAsync(StudyDbContext db, TimeProvider clock, Actor actor, int studyId, int waveId, InstrumentVersion version,
        List<ImportRow> rows, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = rows.Select(r => r.ParticipantId).ToList();
        var invitations = await db.Invitations.Where(i => i.WaveId == waveId && ids.Contains(i.ParticipantId)).ToDictionaryAsync(i => i.ParticipantId, ct);
        foreach (var (participantId, completedAt, dates, answers) in rows)
        {
            var at = completedAt ?? now;
            if (!invitations.TryGetValue(participantId, out var invitation))
            {
                // The earlier tool sent its own invitation; this one records that the wave was answered, dated by the plan.
                invitation = new Invitation
                {
                    StudyId = studyId, ParticipantId = participantId, WaveId = waveId, DueDate = dates!.DueDate,
                    OpensAt = dates.OpensAt, ClosesAt = dates.ClosesAt, PlannedAt = now, Status = InvitationStatus.Completed, CompletedAt = at,
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
