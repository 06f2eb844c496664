using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// One participant's data in one wave and instrument: the value of each item or score, or the
/// reason it is missing. The rules live here once, so long, wide and wide-across tables, the
/// comparison and the distributions all agree.
/// </summary>
public sealed class InstrumentAnswers
{
    private readonly ParticipantRecord participant;
    private readonly WaveRecord? wave;

    public InstrumentAnswers(ParticipantRecord participant, WaveRecord? wave, LayoutInstrument instrument)
    {
        this.participant = participant;
        this.wave = wave;
        Instrument = instrument;
        Response = wave?.Responses.Values.FirstOrDefault(r => instrument.Versions.Any(v => v.Id == r.InstrumentVersionId));
        Version = Response is null ? instrument.Versions.Count > 0 ? instrument.Latest : null
            : instrument.Versions.First(v => v.Id == Response.InstrumentVersionId);
    }

    public LayoutInstrument Instrument { get; }
    public ResponseRecord? Response { get; }

    /// <summary>The version answered, or the newest one when nothing was answered.</summary>
    public LayoutVersion? Version { get; }

    /// <summary>Why there is no value at all for this instrument, or null when it was asked.</summary>
    public int? InstrumentLevelReason()
    {
        if (ParticipantStatus.HasLeft(participant.Status) && wave?.Status != InvitationStatus.Completed && Response is null)
        {
            return MissingCode.Withdrawn;
        }
        if (wave is null || wave.Status is InvitationStatus.Planned or InvitationStatus.Missed)
        {
            return Response is null ? MissingCode.NotInvited : null;
        }
        return wave.Status == InvitationStatus.Withdrawn && Response is null ? MissingCode.Withdrawn : null;
    }

    /// <summary>The answer to an item, or null with the reason in <paramref name="missing"/>.</summary>
    public AnswerRecord? Answer(string itemCode, out int missing)
    {
        missing = 0;
        var item = Version?.ItemsByCode.GetValueOrDefault(itemCode);
        if (item is not null && Response is not null && Response.Answers.TryGetValue(item.Id, out var answer) && !answer.IsEmpty)
        {
            return answer;
        }
        missing = InstrumentLevelReason()
            ?? (Response is null ? MissingCode.InstrumentNotAnswered
                : item is null ? MissingCode.NotInVersion : !IsShown(item) ? MissingCode.NotShown : MissingCode.NotAnswered);
        return null;
    }

    /// <summary>The numeric value of an item (a rating, a choice's code, a number).</summary>
    public decimal? Numeric(string itemCode, out int missing)
    {
        var answer = Answer(itemCode, out missing);
        var value = answer?.NumericValue ?? (answer?.Codes is [var single] ? single : null);
        if (answer is not null && value is null)
        {
            missing = MissingCode.NotAnswered;
        }
        return value;
    }

    /// <summary>The score computed from this response (see <see cref="Scoring"/>), or null with the reason.</summary>
    public decimal? Score(LayoutScore score, out int missing)
    {
        missing = InstrumentLevelReason() ?? 0;
        if (missing != 0)
        {
            return null;
        }
        if (Version is null || Response is null)
        {
            missing = MissingCode.InstrumentNotAnswered;
            return null;
        }
        var value = Scoring.Compute(score, Version, item => Numeric(item, out _));
        if (value is null)
        {
            missing = MissingCode.TooFewItems;
        }
        return value;
    }

    private bool IsShown(LayoutItem item)
    {
        if (item.ShowIfItemCode is null || item.ShowIfCodes is null)
        {
            return true;
        }
        var condition = Version!.ItemsByCode.GetValueOrDefault(item.ShowIfItemCode);
        if (condition is null || Response is null || !Response.Answers.TryGetValue(condition.Id, out var answer))
        {
            return false;
        }
        var given = answer.Codes ?? (answer.NumericValue is { } v && v == decimal.Truncate(v) ? [(int)v] : []);
        return given.Any(c => item.ShowIfCodes.Contains(c));
    }
}
