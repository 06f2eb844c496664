using System.Text.Json;

namespace RecoveryStudy.Protocol;

/// <summary>The structural pass over the optional $.consent block.</summary>
internal static class ConsentStructure
{
    public static void Check(JsonElement root, JsonChecks c) => c.Property(root, "consent", "$", (e, p) =>
    {
        if (!c.Object(e, p, ["code", "version", "title", "text", "clauses"], ["reconsent"]))
        {
            return;
        }
        c.Property(e, "code", p, c.Code);
        c.Property(e, "version", p, (v, vp) => c.Integer(v, vp, 1, 1000));
        c.Property(e, "reconsent", p, c.Boolean);
        c.Property(e, "title", p, (t, tp) => c.Text(t, tp, 200));
        c.Property(e, "text", p, (t, tp) => c.Text(t, tp, 20000));
        c.Property(e, "clauses", p, (list, lp) => c.Array(list, lp, 1, (clause, cp) =>
        {
            if (c.Object(clause, cp, ["code", "text", "required"], []))
            {
                c.Property(clause, "code", cp, c.Code);
                c.Property(clause, "text", cp, (t, tp) => c.Text(t, tp, 2000));
                c.Property(clause, "required", cp, c.Boolean);
            }
        }));
    });
}
