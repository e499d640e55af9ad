using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RLRegularity.Agents.Common;

/// <summary>
/// Turns a preset plus a JSON config file plus <c>key=value</c> overrides into a validated config record, with
/// snake_case keys (dotted paths for nested records, e.g. <c>normalizer_options.prior_strength</c>). Unknown keys name
/// the valid ones; values of the wrong type or out of range name the key and the expected type or range.
/// </summary>
public static class ConfigBinding
{
    /// <summary>The JSON settings of configs: snake_case keys and enum names, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(new EnumNamingPolicy()) },
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // snake_case enum names, keeping acronyms whole ("ReLU" is "relu", not "re_lu").
    private sealed class EnumNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) =>
            name.Length <= 5 ? name.ToLowerInvariant() : SnakeCaseLower.ConvertName(name);
    }

    /// <summary>Serializes a config to a JSON object.</summary>
    public static JsonObject ToJson<T>(T config) => JsonSerializer.SerializeToNode(config, JsonOptions)!.AsObject();

    /// <summary>Applies <paramref name="file"/> (may be null) and then every <c>key=value</c> of <paramref name="overrides"/>
    /// to <paramref name="preset"/>, and validates the result.</summary>
    public static T Resolve<T>(T preset, JsonObject? file, IEnumerable<string> overrides) where T : class
    {
        JsonObject node = ToJson(preset);
        if (file is not null) Merge(node, file, "", typeof(T));
        foreach (string assignment in overrides) Assign(node, assignment, typeof(T));
        return FromJson<T>(node);
    }

    /// <summary>Deserializes and validates a config object (as read back from a run's config.json).</summary>
    public static T FromJson<T>(JsonObject node) where T : class
    {
        T config;
        try
        {
            config = node.Deserialize<T>(JsonOptions) ?? throw new ArgumentException("the config is empty");
        }
        catch (JsonException e)
        {
            string key = (e.Path ?? "$").TrimStart('$', '.');
            throw new ArgumentException($"config key '{key}' has a value of the wrong type ({e.Message.Split('.')[0]})", e);
        }
        Validate(config, "");
        return config;
    }

    // Recursively checks [Range] attributes; messages use snake_case key paths.
    private static void Validate(object config, string prefix)
    {
        foreach (PropertyInfo property in config.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            string key = prefix + JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            object? value = property.GetValue(config);
            if (property.GetCustomAttribute<RangeAttribute>() is { } range && value is not null)
            {
                double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                double min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
                double max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
                if (!(v >= min && v <= max))
                    throw new ArgumentException($"config key '{key}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {v.ToString(CultureInfo.InvariantCulture)}");
            }
            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsArray
                && property.PropertyType.Namespace?.StartsWith("RLRegularity", StringComparison.Ordinal) == true)
                Validate(value, key + ".");
        }
    }

    private static void Merge(JsonObject target, JsonObject source, string prefix, Type type)
    {
        foreach (var (key, value) in source)
        {
            if (!target.ContainsKey(key))
                throw new ArgumentException($"unknown config key '{prefix}{key}'. Valid keys{(prefix.Length > 0 ? $" under '{prefix.TrimEnd('.')}'" : "")}: {string.Join(", ", target.Select(p => p.Key))}");
            Type? propertyType = PropertyType(type, key);
            if (value is JsonObject child && target[key] is JsonObject existing && propertyType is not null) Merge(existing, child, prefix + key + ".", propertyType);
            else target[key] = Coerce(prefix + key, value?.DeepClone(), propertyType, value?.ToJsonString() ?? "null");
        }
    }

    private static void Assign(JsonObject root, string assignment, Type type)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--set expects key=value, got '{assignment}'");
        string path = assignment[..eq].Trim();
        string text = assignment[(eq + 1)..].Trim();
        string[] parts = path.Split('.');
        JsonObject node = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string prefix = string.Join('.', parts.Take(i));
            if (!node.ContainsKey(parts[i]))
                throw new ArgumentException($"unknown config key '{path}'. Valid keys{(i > 0 ? $" under '{prefix}'" : "")}: {string.Join(", ", node.Select(p => p.Key))}");
            Type? propertyType = PropertyType(type, parts[i]);
            if (i < parts.Length - 1)
            {
                node = node[parts[i]] as JsonObject ?? throw new ArgumentException($"config key '{string.Join('.', parts.Take(i + 1))}' is not a group of keys");
                type = propertyType!;
                continue;
            }
            node[parts[i]] = Coerce(path, ParseValue(text, node[parts[i]]), propertyType, text);
        }
    }

    // The type of the config property whose snake_case key is `key`, or null if there is none.
    private static Type? PropertyType(Type type, string key) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.GetIndexParameters().Length == 0 && JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == key)?.PropertyType;

    // Checks a value against its property's type at the boundary, so that a wrong value is named with its key, what the
    // key expects and (for enums) the valid names, instead of System.Text.Json's "could not be converted to
    // System.Double". Whole numbers written as 1e5 become integers for integer keys (System.Text.Json reads integers
    // only from integer literals).
    private static JsonNode? Coerce(string key, JsonNode? value, Type? type, string shown)
    {
        if (type is null) return value;
        Type? underlying = Nullable.GetUnderlyingType(type);
        Type t = underlying ?? type;
        if (value is null)
            return underlying is not null || !t.IsValueType ? null : throw Wrong(key, t, shown);
        if (t.IsArray)
        {
            Type element = t.GetElementType()!;
            if (value is not JsonArray array) throw Wrong(key, t, shown);
            return new JsonArray([.. array.Select((e, i) => Coerce($"{key}[{i}]", e?.DeepClone(), element, e?.ToJsonString() ?? "null"))]);
        }
        JsonValueKind kind = value.GetValueKind();
        if (t == typeof(double) || t == typeof(float))
            return kind == JsonValueKind.Number ? value : throw Wrong(key, t, shown);
        if (t == typeof(int) || t == typeof(long))
        {
            if (kind != JsonValueKind.Number) throw Wrong(key, t, shown);
            double d = value.GetValue<double>();
            if (value.AsValue().TryGetValue(out long whole)) d = whole;
            else if (d != Math.Floor(d) || Math.Abs(d) > 9007199254740992d) throw Wrong(key, t, shown);
            else whole = (long)d;
            if (t == typeof(int) && whole is < int.MinValue or > int.MaxValue) throw Wrong(key, t, shown);
            return JsonValue.Create(whole);
        }
        if (t == typeof(bool))
            return kind is JsonValueKind.True or JsonValueKind.False ? value : throw Wrong(key, t, shown);
        if (t.IsEnum)
        {
            string[] names = EnumNames(t);
            string? given = kind == JsonValueKind.String ? value.GetValue<string>() : null;
            string? name = names.FirstOrDefault(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase));
            return name is not null ? JsonValue.Create(name) : throw Wrong(key, t, shown);
        }
        if (t == typeof(string))
            return kind == JsonValueKind.String ? value : throw Wrong(key, t, shown);
        if (value is not JsonObject) throw new ArgumentException($"{key} is a group of keys ({string.Join(", ", t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)))}); set one of them as {key}.<key>=value");
        return value;
    }

    private static string[] EnumNames(Type enumType) => [.. Enum.GetNames(enumType).Select(n => new EnumNamingPolicy().ConvertName(n))];

    private static ArgumentException Wrong(string key, Type type, string shown) => new($"{key} expects {Expected(type)}, got '{shown}'");

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(double) => "a number (double)",
        _ when type == typeof(float) => "a number (float)",
        _ when type == typeof(int) => "an integer (int)",
        _ when type == typeof(long) => "an integer (long)",
        _ when type == typeof(bool) => "true or false (bool)",
        _ when type == typeof(string) => "a string",
        { IsEnum: true } => $"one of {string.Join(", ", EnumNames(type))}",
        { IsArray: true } => $"a comma-separated list, each item {Expected(type.GetElementType()!)} (e.g. 64,64)",
        _ => type.Name,
    };

    // A value is JSON when it parses as JSON (numbers, true/false, null, arrays, quoted strings); otherwise a bare string.
    // Comma-separated numbers also form an array, so "hidden_sizes=64,64" works.
    private static JsonNode? ParseValue(string text, JsonNode? current)
    {
        if (current is JsonArray && !text.StartsWith('[')) text = "[" + text + "]";
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
