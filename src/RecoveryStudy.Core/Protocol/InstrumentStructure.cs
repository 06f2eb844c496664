using System.Text.Json;
using RecoveryStudy.Data;

namespace RecoveryStudy.Protocol;

/// <summary>The structural pass over $.instruments: items, options, show-if conditions and scores.</summary>
internal static class InstrumentStructure
{
    public static void Check(JsonElement root, JsonChecks c) =>
        c.Property(root, "instruments", "$", (e, p) => c.Array(e, p, 1, (instrument, ip) => Instrument(instrument, ip, c)));

    private static void Instrument(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, ["code", "title", "items"], ["intro", "source", "licence", "scores"]))
        {
            return;
        }
        c.Property(e, "code", path, c.Code);
        c.Property(e, "title", path, (t, tp) => c.Text(t, tp, 300));
        c.Property(e, "intro", path, (t, tp) => c.Text(t, tp));
        c.Property(e, "source", path, (t, tp) => c.String(t, tp, 2000));
        c.Property(e, "licence", path, (t, tp) => c.String(t, tp, 2000));
        c.Property(e, "items", path, (items, p) => c.Array(items, p, 1, (item, ip) => Item(item, ip, c)));
        c.Property(e, "scores", path, (scores, p) => c.Array(scores, p, 0, (score, sp) => Score(score, sp, c)));
    }

    private static void Item(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, ["code", "type", "label"], ["help", "required", "min", "max", "options", "show_if"]))
        {
            return;
        }
        c.Property(e, "code", path, c.Code);
        c.Property(e, "type", path, (t, tp) => c.OneOf(t, tp, ItemType.All));
        c.Property(e, "label", path, (t, tp) => c.Text(t, tp, 2000));
        c.Property(e, "help", path, (t, tp) => c.Text(t, tp, 2000));
        c.Property(e, "required", path, c.Boolean);
        c.Property(e, "min", path, (m, mp) => c.Number(m, mp, -1_000_000m, 1_000_000m));
        c.Property(e, "max", path, (m, mp) => c.Number(m, mp, -1_000_000m, 1_000_000m));
        c.Property(e, "options", path, (options, op) => c.Array(options, op, 1, (option, p) =>
        {
            if (c.Object(option, p, ["code", "label"], []))
            {
                c.Property(option, "code", p, (code, cp) => c.Integer(code, cp, -99, 999));
                c.Property(option, "label", p, (t, tp) => c.Text(t, tp, 500));
            }
        }));
        c.Property(e, "show_if", path, (s, sp) =>
        {
            if (c.Object(s, sp, ["item", "codes"], []))
            {
                c.Property(s, "item", sp, c.Code);
                c.Property(s, "codes", sp, (codes, cp) => c.Array(codes, cp, 1, (code, p) => c.Integer(code, p, -99, 999)));
            }
        });
    }

    private static void Score(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, ["code", "label", "method", "items"], ["reverse", "min_answered", "multiplier"]))
        {
            return;
        }
        c.Property(e, "code", path, c.Code);
        c.Property(e, "label", path, (t, tp) => c.Text(t, tp, 300));
        c.Property(e, "method", path, (m, mp) => c.OneOf(m, mp, ScoreMethod.All));
        c.Property(e, "items", path, (items, p) => c.Array(items, p, 1, c.Code));
        c.Property(e, "reverse", path, (items, p) => c.Array(items, p, 0, c.Code));
        c.Property(e, "min_answered", path, (m, mp) => c.Integer(m, mp, 1, 1000));
        c.Property(e, "multiplier", path, (m, mp) => c.Number(m, mp, 0.001m, 1000m));
    }
}
