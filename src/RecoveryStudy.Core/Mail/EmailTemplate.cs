using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryStudy.Data;

namespace RecoveryStudy.Mail;

/// <summary>
/// One wave text (subject and body in one language) cut once into literal runs and placeholders,
/// for the plain part and for the HTML part (paragraphs, line breaks, literals already encoded),
/// so that an email is filled by appending pieces. A batch sends the same few texts hundreds of
/// times; matching placeholders and encoding the literals on every email cost more than the rest
/// of its text.
/// </summary>
internal sealed partial class EmailTemplate
{
    /// <summary>A literal run, or the name of a placeholder when <see cref="Name"/> is set.</summary>
    private readonly record struct Piece(string Text, string? Name);

    // Texts come from protocol versions: few, but a long-running host sees new ones over years.
    private static readonly BoundedCache<(string Subject, string Body), EmailTemplate> Cache = new(512);

    private readonly Piece[] subject;
    private readonly Piece[] plain;
    private readonly Piece[][] paragraphs;

    /// <summary>False when the body places <c>{unsubscribe_link}</c> itself, so no footer is added.</summary>
    public bool NeedsFooter { get; }

    private EmailTemplate(string subjectText, string bodyText)
    {
        var body = bodyText.ReplaceLineEndings("\n");
        subject = Cut(subjectText, html: false);
        plain = Cut(body, html: false);
        paragraphs = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Cut(p, html: true)).ToArray();
        linkParagraph = Array.FindIndex(paragraphs, p => p.Any(piece => piece.Name == "link"));
        NeedsFooter = !body.Contains("{unsubscribe_link}", StringComparison.Ordinal);
    }

    /// <summary>The paragraph the button goes before: the first that holds {link} (-1: none does).</summary>
    private readonly int linkParagraph;

    public static EmailTemplate For(string subject, string body) =>
        Cache.GetOrAdd((subject, body), static key => new EmailTemplate(key.Subject, key.Body));

    public string Subject(IReadOnlyDictionary<string, string> values) => Fill(subject, values, html: false).ReplaceLineEndings(" ");

    public string Plain(IReadOnlyDictionary<string, string> values) => Fill(plain, values, html: false);

    /// <summary>
    /// The body's paragraphs as HTML, one <c>&lt;p&gt;</c> each, line breaks kept; <paramref name="button"/>
    /// is written before the first paragraph that holds the link (after the last when none does), so
    /// the link also stays in the text for a client that shows no button.
    /// </summary>
    public void AppendHtml(StringBuilder html, IReadOnlyDictionary<string, string> values, Action<StringBuilder> button)
    {
        for (var i = 0; i < paragraphs.Length; i++)
        {
            if (i == linkParagraph)
            {
                button(html);
            }
            html.Append(Paragraph).Append(Fill(paragraphs[i], values, html: true).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
        }
        if (linkParagraph < 0)
        {
            button(html);
        }
    }

    /// <summary>A paragraph's opening tag: mail clients drop style sheets, so its spacing is inline.</summary>
    public const string Paragraph = "<p style=\"margin:0 0 16px 0;\">";

    /// <summary>
    /// A link as an HTML anchor showing its own address, allowed to break anywhere: a 60-character
    /// token link is one word that would otherwise widen a phone's screen.
    /// </summary>
    public static string Anchor(string url)
    {
        var encoded = WebUtility.HtmlEncode(url);
        return $"<a href=\"{encoded}\" style=\"color:#1a4d80;text-decoration:underline;word-break:break-all;overflow-wrap:anywhere;\">{encoded}</a>";
    }

    private static string Fill(Piece[] pieces, IReadOnlyDictionary<string, string> values, bool html)
    {
        var result = new StringBuilder(256);
        foreach (var piece in pieces)
        {
            if (piece.Name is null)
            {
                result.Append(piece.Text);
            }
            else if (!values.TryGetValue(piece.Name, out var value))
            {
                // An unknown placeholder stays as written, so the researcher sees it in the preview.
                result.Append(piece.Text);
            }
            else
            {
                result.Append(!html ? value : piece.Name is "link" or "unsubscribe_link" ? Anchor(value) : WebUtility.HtmlEncode(value));
            }
        }
        return result.ToString();
    }

    private static Piece[] Cut(string template, bool html)
    {
        string Literal(string text) => html ? WebUtility.HtmlEncode(text) : text;
        var pieces = new List<Piece>();
        var last = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            pieces.Add(new Piece(Literal(template[last..match.Index]), null));
            pieces.Add(new Piece(Literal(match.Value), match.Groups[1].Value));
            last = match.Index + match.Length;
        }
        pieces.Add(new Piece(Literal(template[last..]), null));
        return WithGreetingComma(pieces.Where(p => p.Name is not null || p.Text.Length > 0).ToList()).ToArray();
    }

    /// <summary>
    /// "Hello Anna," whether the text writes "{salutation}" or "{salutation},": the greeting is
    /// followed by a comma unless the text puts its own punctuation there.
    /// </summary>
    private static List<Piece> WithGreetingComma(List<Piece> pieces)
    {
        for (var i = pieces.Count - 1; i >= 0; i--)
        {
            if (pieces[i].Name == "salutation" && (i + 1 == pieces.Count || pieces[i + 1].Name is not null || !StartsWithPunctuation(pieces[i + 1].Text)))
            {
                pieces.Insert(i + 1, new Piece(",", null));
            }
        }
        return pieces;
    }

    private static bool StartsWithPunctuation(string text) => text.Length > 0 && text[0] is ',' or '!' or '.' or ':' or ';' or '?';

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
