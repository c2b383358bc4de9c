namespace Jobkore.Core.Data;

/// <summary>The shadow property of each syncable record that holds its content hash, kept current by <see cref="IContentHashes"/>.</summary>
internal static class SyncHashProperty
{
    public const string Name = "SyncHash";
    public const int MaxLength = 32;
}
