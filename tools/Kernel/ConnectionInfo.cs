using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkbookKernel;

/// <summary>The connection file Jupyter writes for a kernel it starts (ports, transport, signing key).</summary>
internal sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IopubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    public static ConnectionInfo Load(string path)
    {
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"connection file {path} is not valid JSON: {e.Message}", e);
        }
        if (info is null)
            throw new FormatException($"connection file {path} is empty");
        if (info.Transport != "tcp")
            throw new NotSupportedException($"connection file {path}: transport '{info.Transport}' is not supported (NetMQ speaks tcp); start the kernel with transport tcp");
        if (info.SignatureScheme != "hmac-sha256")
            throw new NotSupportedException($"connection file {path}: signature_scheme '{info.SignatureScheme}' is not supported; use hmac-sha256");
        return info;
    }

    public string Address(int port) => $"tcp://{Ip}:{port}";
}
