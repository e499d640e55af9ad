using System.Text;
using System.Text.Json;

namespace RLRegularity.Cli;

/// <summary>Writes one compact JSON object per line, as the verbs print their results.</summary>
internal static class JsonOutput
{
    /// <summary>Builds an object with <paramref name="write"/> and writes it as one line to <paramref name="output"/>.</summary>
    public static void WriteLine(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
