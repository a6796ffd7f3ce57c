namespace Cloud.Tests.Architecture;

/// <summary>One row of <see cref="ModuleBoundaries"/>.</summary>
/// <param name="Module">The folder under Cloud.Modules (and the namespace Cloud.Modules.&lt;Module&gt;).</param>
/// <param name="MayUse">The modules whose contract this module may reference.</param>
/// <param name="Tables">The tables this module owns: only its SQL names them.</param>
public sealed record ModuleBoundary(string Module, IReadOnlyList<string> MayUse, IReadOnlyList<string> Tables)
{
    public override string ToString() => Module;
}
