using System.Text.Json;

namespace RecoveryStudy.Protocol;

/// <summary>The structural pass over $.waves: anchor, offset, window, reminders and email texts.</summary>
internal static class WaveStructure
{
    public static void Check(JsonElement root, JsonChecks c) =>
        c.Property(root, "waves", "$", (e, p) => c.Array(e, p, 1, (wave, wp) => Wave(wave, wp, c)));

    private static void Wave(JsonElement e, string path, JsonChecks c)
    {
        var interview = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("kind", out var kind)
            && kind.ValueKind == JsonValueKind.String && kind.GetString() == Data.WaveKind.Interview;
        // An interview wave is a task for the study team: no instruments, reminders or participant emails.
        var shape = interview
            ? c.Object(e, path, ["code", "kind", "title", "anchor", "offset", "window", "roles"], ["intro", "estimated_minutes", "interviewer_reminder_days_before", "requires_flag", "booking"])
            : c.Object(e, path, ["code", "title", "anchor", "offset", "window", "roles", "instruments", "reminders", "emails"], ["kind", "intro", "estimated_minutes"]);
        if (!shape)
        {
            return;
        }
        c.Property(e, "kind", path, (k, kp) =>
        {
            if (k.ValueKind != JsonValueKind.String || !Data.WaveKind.All.Contains(k.GetString()))
            {
                c.Add(kp, $"must be one of: {string.Join(", ", Data.WaveKind.All)}");
            }
        });
        c.Property(e, "interviewer_reminder_days_before", path, (d, dp) => c.Integer(d, dp, 0, 60));
        c.Property(e, "requires_flag", path, c.Code);
        c.Property(e, "booking", path, c.Boolean);
        c.Property(e, "code", path, c.Code);
        c.Property(e, "title", path, (t, tp) => c.Text(t, tp, 300));
        c.Property(e, "intro", path, (t, tp) => c.Text(t, tp));
        c.Property(e, "anchor", path, c.Code);
        c.Property(e, "offset", path, (o, op) => Offset(o, op, c));
        c.Property(e, "window", path, (w, wp) =>
        {
            if (c.Object(w, wp, ["opens_days", "closes_days"], []))
            {
                c.Property(w, "opens_days", wp, (d, dp) => c.Integer(d, dp, -180, 0));
                c.Property(w, "closes_days", wp, (d, dp) => c.Integer(d, dp, 1, 365));
            }
        });
        c.Property(e, "roles", path, (r, rp) => c.Array(r, rp, 1, c.Code));
        c.Property(e, "instruments", path, (i, ip) => c.Array(i, ip, 1, c.Code));
        c.Property(e, "estimated_minutes", path, (m, mp) => c.Integer(m, mp, 1, 240));
        c.Property(e, "reminders", path, (r, rp) =>
        {
            if (c.Object(r, rp, ["days"], ["last_chance_days_before"]))
            {
                c.Property(r, "days", rp, (d, dp) => c.Array(d, dp, 0, (day, p) => c.Integer(day, p, 1, 365)));
                c.Property(r, "last_chance_days_before", rp, (d, dp) => c.Integer(d, dp, 1, 60));
            }
        });
        c.Property(e, "emails", path, (m, mp) =>
        {
            if (c.Object(m, mp, ["invitation"], ["reminders", "last_chance"]))
            {
                c.Property(m, "invitation", mp, (x, xp) => Email(x, xp, c));
                c.Property(m, "reminders", mp, (x, xp) => c.Array(x, xp, 0, (r, rp) => Email(r, rp, c)));
                c.Property(m, "last_chance", mp, (x, xp) => Email(x, xp, c));
            }
        });
    }

    private static void Offset(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, [], ["days", "weeks", "months"]))
        {
            return;
        }
        var units = e.EnumerateObject().Count(p => p.Name is "days" or "weeks" or "months");
        if (units != 1)
        {
            c.Add(path, "must give exactly one of days, weeks or months");
        }
        c.Property(e, "days", path, (d, dp) => c.Integer(d, dp, -365, 3650));
        c.Property(e, "weeks", path, (d, dp) => c.Integer(d, dp, -52, 520));
        c.Property(e, "months", path, (d, dp) => c.Integer(d, dp, 0, 120));
    }

    private static void Email(JsonElement e, string path, JsonChecks c)
    {
        if (c.Object(e, path, ["subject", "body"], []))
        {
            c.Property(e, "subject", path, (t, tp) => c.Text(t, tp, 200));
            c.Property(e, "body", path, (t, tp) => c.Text(t, tp, 10000));
        }
    }
}
