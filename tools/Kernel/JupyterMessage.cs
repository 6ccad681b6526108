using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace WorkbookKernel;

/// <summary>
/// One Jupyter message (protocol 5.3): the ZeroMQ routing identities, header, parent header, metadata,
/// content and binary buffers. On the wire: identities, "&lt;IDS|MSG&gt;", signature, then the four JSON
/// dicts and the buffers.
/// </summary>
internal sealed class JupyterMessage
{
    public const string ProtocolVersion = "5.3";
    private static readonly byte[] Delimiter = Encoding.ASCII.GetBytes("<IDS|MSG>");

    public required IReadOnlyList<byte[]> Identities { get; init; }
    public required JsonObject Header { get; init; }
    public required JsonObject ParentHeader { get; init; }
    public JsonObject Metadata { get; init; } = [];
    public required JsonObject Content { get; init; }
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary>The order in which the kernel received it (0 for messages it sends).</summary>
    public long Sequence { get; init; }

    public string MessageType => (string?)Header["msg_type"] ?? "";
    public string Session => (string?)Header["session"] ?? "";
    public string MessageId => (string?)Header["msg_id"] ?? "";

    /// <summary>A new message answering (or caused by) <paramref name="parent"/>, in the kernel's session.</summary>
    public static JupyterMessage Create(string messageType, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null) => new()
    {
        Identities = identities ?? parent?.Identities ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = messageType,
            ["version"] = ProtocolVersion,
        },
        ParentHeader = parent?.Header.DeepClone().AsObject() ?? [],
        Content = content,
    };

    public List<byte[]> ToFrames(MessageSigner signer)
    {
        var parts = new[] { Header, ParentHeader, Metadata, Content }
            .Select(part => Encoding.UTF8.GetBytes(part.ToJsonString())).ToList();
        var frames = new List<byte[]>(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>Parses and checks a received message; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static JupyterMessage Parse(IReadOnlyList<byte[]> frames, MessageSigner signer, long sequence = 0)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0)
            throw new FormatException("no <IDS|MSG> delimiter frame");
        if (frames.Count < delimiter + 6)
            throw new FormatException($"{frames.Count - delimiter - 1} frames after the delimiter; a message has a signature and four JSON frames");
        var parts = frames.Skip(delimiter + 2).Take(4).ToList();
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        if (signer.Check(signature, parts) is { } problem)
            throw new SignatureException(problem);
        JsonObject Dict(int index, string name)
        {
            try
            {
                return JsonNode.Parse(parts[index]) as JsonObject ?? throw new FormatException($"the {name} is not a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new FormatException($"the {name} is not valid JSON: {e.Message}", e);
            }
        }
        return new JupyterMessage
        {
            Identities = frames.Take(delimiter).ToList(),
            Header = Dict(0, "header"),
            ParentHeader = Dict(1, "parent header"),
            Metadata = Dict(2, "metadata"),
            Content = Dict(3, "content"),
            Buffers = frames.Skip(delimiter + 6).ToList(),
            Sequence = sequence,
        };
    }
}

/// <summary>A message whose signature does not verify: dropped and logged, never handled.</summary>
internal sealed class SignatureException(string message) : Exception(message);
