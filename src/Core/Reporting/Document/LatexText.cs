using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>Document text as pdfLaTeX source (T1, utf8): special characters escaped, symbols as their commands, `code` as \texttt.</summary>
public sealed class LatexText
{
    static readonly Dictionary<char, string> Symbols = new()
    {
        ['−'] = @"\textminus{}", ['≥'] = @"\ensuremath{\geq}", ['≤'] = @"\ensuremath{\leq}", ['≠'] = @"\ensuremath{\neq}",
        ['≈'] = @"\ensuremath{\approx}", ['×'] = @"\texttimes{}", ['±'] = @"\textpm{}", ['·'] = @"\textperiodcentered{}",
        ['→'] = @"\textrightarrow{}", ['←'] = @"\textleftarrow{}", ['↑'] = @"\textuparrow{}", ['↓'] = @"\textdownarrow{}",
        ['—'] = @"\textemdash{}", ['–'] = @"\textendash{}", ['…'] = @"\ldots{}", ['•'] = @"\textbullet{}", ['°'] = @"\textdegree{}",
        ['²'] = @"\texttwosuperior{}", ['³'] = @"\textthreesuperior{}", ['∞'] = @"\ensuremath{\infty}", ['√'] = @"\ensuremath{\surd}",
        ['∑'] = @"\ensuremath{\sum}", ['∈'] = @"\ensuremath{\in}", ['∘'] = @"\ensuremath{\circ}", ['⊙'] = @"\ensuremath{\odot}",
        ['α'] = @"\ensuremath{\alpha}", ['β'] = @"\ensuremath{\beta}", ['γ'] = @"\ensuremath{\gamma}", ['δ'] = @"\ensuremath{\delta}",
        ['ε'] = @"\ensuremath{\varepsilon}", ['η'] = @"\ensuremath{\eta}", ['θ'] = @"\ensuremath{\theta}", ['λ'] = @"\ensuremath{\lambda}",
        ['μ'] = @"\textmu{}", ['π'] = @"\ensuremath{\pi}", ['ρ'] = @"\ensuremath{\rho}", ['σ'] = @"\ensuremath{\sigma}",
        ['τ'] = @"\ensuremath{\tau}", ['φ'] = @"\ensuremath{\varphi}", ['χ'] = @"\ensuremath{\chi}", ['ψ'] = @"\ensuremath{\psi}",
        ['ω'] = @"\ensuremath{\omega}", ['Δ'] = @"\ensuremath{\Delta}", ['Σ'] = @"\ensuremath{\Sigma}", ['Λ'] = @"\ensuremath{\Lambda}",
        ['✓'] = @"\ensuremath{\surd}", ['‘'] = "`", ['’'] = "'", ['“'] = "``", ['”'] = "''", ['\u00A0'] = "~", ['\u2009'] = @"\,",
        ['\u202F'] = @"\,",
        ['⁰'] = @"\textsuperscript{0}", ['¹'] = @"\textonesuperior{}", ['⁴'] = @"\textsuperscript{4}", ['⁵'] = @"\textsuperscript{5}",
        ['⁶'] = @"\textsuperscript{6}", ['⁷'] = @"\textsuperscript{7}", ['⁸'] = @"\textsuperscript{8}", ['⁹'] = @"\textsuperscript{9}",
        ['⁻'] = @"\textsuperscript{\textminus}", ['⁺'] = @"\textsuperscript{+}",
    };

    readonly HashSet<char> unmapped = new();

    /// <summary>Characters outside Latin-1 with no LaTeX spelling here (written as "?"); empty when the source is faithful.</summary>
    public IReadOnlyCollection<char> Unmapped => unmapped;

    /// <summary>Text with its inline markup: `code` spans as \texttt.</summary>
    public string Marked(string text)
    {
        var sb = new StringBuilder();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            if (l > 0) sb.Append(@"\newline ");
            var first = true;
            foreach (var word in InlineMarkup.Words(lines[l]))
            {
                if (!first) sb.Append(' ');
                first = false;
                foreach (var span in word)
                    sb.Append(span.Code ? @"\texttt{" + Code(span.Text) + "}" : Escape(span.Text));
            }
        }
        return sb.ToString();
    }

    /// <summary>Plain text: every special character escaped ("--" kept as two hyphens, not an en dash).</summary>
    public string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': sb.Append(@"\textbackslash{}"); break;
                case '{': sb.Append(@"\{"); break;
                case '}': sb.Append(@"\}"); break;
                case '$': sb.Append(@"\$"); break;
                case '&': sb.Append(@"\&"); break;
                case '#': sb.Append(@"\#"); break;
                case '%': sb.Append(@"\%"); break;
                case '_': sb.Append(@"\_"); break;
                case '^': sb.Append(@"\textasciicircum{}"); break;
                case '~': sb.Append(@"\textasciitilde{}"); break;
                case '<': sb.Append(@"\textless{}"); break;
                case '>': sb.Append(@"\textgreater{}"); break;
                case '|': sb.Append(@"\textbar{}"); break;
                case '"': sb.Append(@"\textquotedbl{}"); break;
                case '-': sb.Append(i + 1 < text.Length && text[i + 1] == '-' ? "-{}" : "-"); break; // no -- or --- ligatures
                case '`': sb.Append(@"\textasciigrave{}"); break;
                case '\'': sb.Append(@"\textquotesingle{}"); break;
                case '\t': sb.Append(' '); break;
                default:
                    if (Symbols.TryGetValue(c, out var s)) sb.Append(s);
                    else if (c < 0x80 || (c >= 0xA0 && c <= 0xFF) || char.IsLetter(c) && c < 0x180) sb.Append(c);
                    else if (char.IsSurrogate(c)) { unmapped.Add('?'); sb.Append('?'); }
                    else { unmapped.Add(c); sb.Append('?'); }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Code: escaped, and breakable after slashes and before options (long commands and paths wrap).</summary>
    string Code(string text) => Escape(text).Replace("/", @"/\allowbreak{}");

    public static string Color(SKColor c) => string.Create(CultureInfo.InvariantCulture, $"{c.Red},{c.Green},{c.Blue}");

    public static string Pt(float v) => v.ToString("0.##", CultureInfo.InvariantCulture) + "pt";
}
