namespace Cloud.Modules.Kernel.Flags;

/// <summary>Marks a flag whose value is a secret: it is masked whenever flags are logged or listed.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
