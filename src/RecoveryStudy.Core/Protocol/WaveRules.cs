namespace RecoveryStudy.Protocol;

/// <summary>
/// Cross-reference checks of the waves: declared anchors, roles and instruments, reminders that
/// fit the window, email texts with known placeholders, and windows that do not overlap.
/// </summary>
internal static class WaveRules
{
    public static void Check(ProtocolDocument protocol, JsonChecks c)
    {
        StudyRules.Unique(protocol.Waves.Select(w => w.Code), "$.waves", c);
        var anchors = protocol.Anchors.Select(a => a.Code).ToList();
        var roles = protocol.Roles.Select(r => r.Code).ToList();
        var instruments = protocol.Instruments.Select(i => i.Code).ToList();
        for (var i = 0; i < protocol.Waves.Count; i++)
        {
            var wave = protocol.Waves[i];
            var path = $"$.waves[{i}]";
            if (wave.Anchor.Length > 0 && !anchors.Contains(wave.Anchor))
            {
                c.Add(path + ".anchor", $"unknown anchor '{wave.Anchor}'; declared anchors: {string.Join(", ", anchors)}");
            }
            Known(wave.Roles, roles, path + ".roles", "role", c);
            Known(wave.Instruments, instruments, path + ".instruments", "instrument", c);
            StudyRules.Unique(wave.Roles, path + ".roles", c, "");
            StudyRules.Unique(wave.Instruments, path + ".instruments", c, "");
            if (wave.IsInterview)
            {
                Interview(wave, path, c);
                continue;
            }
            Reminders(wave, path, c);
            Emails(wave, path, c);
        }
        for (var k = 0; k < protocol.Instruments.Count; k++)
        {
            var code = protocol.Instruments[k].Code;
            if (code.Length > 0 && !protocol.Waves.Any(w => w.Instruments.Contains(code)))
            {
                c.Add($"$.instruments[{k}]", $"instrument '{code}' is not asked in any wave");
            }
        }
        Overlaps(protocol.Waves, c);
    }

    private static void Interview(WaveDefinition wave, string path, JsonChecks c)
    {
        var length = wave.Window.ClosesDays - wave.Window.OpensDays;
        if (wave.InterviewerReminderDaysBefore is { } before && before >= length)
        {
            c.Add(path + ".interviewer_reminder_days_before", $"must be less than the window's length of {length} days");
        }
    }

    private static void Known(List<string> used, List<string> declared, string path, string what, JsonChecks c)
    {
        for (var k = 0; k < used.Count; k++)
        {
            if (used[k].Length > 0 && !declared.Contains(used[k]))
            {
                c.Add($"{path}[{k}]", $"unknown {what} '{used[k]}'; declared: {string.Join(", ", declared)}");
            }
        }
    }

    private static void Reminders(WaveDefinition wave, string path, JsonChecks c)
    {
        var days = wave.Reminders.Days;
        for (var k = 0; k < days.Count; k++)
        {
            if (k > 0 && days[k] <= days[k - 1])
            {
                c.Add($"{path}.reminders.days[{k}]", $"must be later than the reminder before it (day {days[k - 1]})");
            }
            else if (days[k] >= wave.Window.ClosesDays)
            {
                c.Add($"{path}.reminders.days[{k}]", $"day {days[k]} is not before the window closes ({wave.Window.ClosesDays} days after the due date)");
            }
        }
        var length = wave.Window.ClosesDays - wave.Window.OpensDays;
        if (wave.Reminders.LastChanceDaysBefore is { } before && before >= length)
        {
            c.Add($"{path}.reminders.last_chance_days_before", $"must be less than the window's length of {length} days");
        }
    }

    private static void Emails(WaveDefinition wave, string path, JsonChecks c)
    {
        var emails = wave.Emails;
        var reminderTexts = emails.Reminders?.Count ?? 0;
        if (wave.Reminders.Days.Count > 0 && reminderTexts == 0)
        {
            c.Add(path + ".emails.reminders", "the wave sends reminders, so it needs at least one reminder text");
        }
        if (reminderTexts > wave.Reminders.Days.Count)
        {
            c.Add(path + ".emails.reminders", $"has {reminderTexts} texts for {wave.Reminders.Days.Count} reminder days; give at most one text per reminder");
        }
        if (wave.Reminders.LastChanceDaysBefore is not null && emails.LastChance is null)
        {
            c.Add(path + ".emails.last_chance", "the wave sends a last-chance reminder, so it needs its text");
        }
        if (wave.Reminders.LastChanceDaysBefore is null && emails.LastChance is not null)
        {
            c.Add(path + ".emails.last_chance", "is never sent: set reminders.last_chance_days_before or remove this text");
        }
        Email(emails.Invitation, path + ".emails.invitation", c);
        for (var k = 0; k < reminderTexts; k++)
        {
            Email(emails.Reminders![k], $"{path}.emails.reminders[{k}]", c);
        }
        if (emails.LastChance is not null)
        {
            Email(emails.LastChance, path + ".emails.last_chance", c);
        }
    }

    private static void Email(EmailDefinition email, string path, JsonChecks c)
    {
        foreach (var (part, texts) in new[] { ("subject", email.Subject), ("body", email.Body) })
        {
            foreach (var (language, text) in texts)
            {
                foreach (var name in EmailPlaceholders.In(text).Distinct().Where(n => !EmailPlaceholders.All.Contains(n)))
                {
                    c.Add($"{path}.{part}.{language}", $"unknown placeholder {{{name}}}; known: {string.Join(" ", EmailPlaceholders.All.Select(p => "{" + p + "}"))}");
                }
                if (part == "body" && !EmailPlaceholders.In(text).Contains(EmailPlaceholders.Link))
                {
                    c.Add($"{path}.body.{language}", "must contain {link}, the participant's personal link");
                }
            }
        }
    }

    /// <summary>
    /// Two waves of the same kind for the same role on the same anchor must not be open at once. Month offsets
    /// vary with the calendar, so every anchor date over four years (leap year included) is tried.
    /// </summary>
    private static void Overlaps(List<WaveDefinition> waves, JsonChecks c)
    {
        for (var j = 1; j < waves.Count; j++)
        {
            for (var i = 0; i < j; i++)
            {
                var (a, b) = (waves[i], waves[j]);
                var sharedRole = a.Roles.Intersect(b.Roles).FirstOrDefault();
                // An interview may fall in the same weeks as a questionnaire; two of one kind may not.
                if (a.Anchor != b.Anchor || a.Anchor.Length == 0 || sharedRole is null || a.IsInterview != b.IsInterview || !Overlap(a, b))
                {
                    continue;
                }
                c.Add($"$.waves[{j}].window", $"overlaps the window of wave '{a.Code}' ($.waves[{i}]) on anchor '{a.Anchor}' for role '{sharedRole}'");
            }
        }
    }

    private static bool Overlap(WaveDefinition a, WaveDefinition b)
    {
        var start = new DateOnly(2024, 1, 1);
        for (var day = 0; day < 4 * 366; day++)
        {
            var anchor = start.AddDays(day);
            var (aOpen, aClose) = Window(a, anchor);
            var (bOpen, bClose) = Window(b, anchor);
            if (aOpen < bClose && bOpen < aClose)
            {
                return true;
            }
        }
        return false;
    }

    private static (DateOnly Opens, DateOnly Closes) Window(WaveDefinition wave, DateOnly anchor)
    {
        var due = DueDate(anchor, wave.Offset);
        return (due.AddDays(wave.Window.OpensDays), due.AddDays(wave.Window.ClosesDays));
    }

    /// <summary>Anchor plus offset; months are calendar months, clamped to the end of a shorter month.</summary>
    public static DateOnly DueDate(DateOnly anchor, OffsetDefinition offset) =>
        offset.Months is { } months ? anchor.AddMonths(months)
        : offset.Weeks is { } weeks ? anchor.AddDays(7 * weeks)
        : anchor.AddDays(offset.Days ?? 0);
}
