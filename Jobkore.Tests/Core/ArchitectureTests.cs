using System.Reflection;
using System.Reflection.Emit;
using Jobkore.Core.Data;

namespace Jobkore.Tests.Core;

/// <summary>
/// The folders of Jobkore.Core depend one way: the sync's stored state (<c>SyncState/</c>) on neither the data layer nor
/// the sync, the data layer (<c>Data/</c>) not on the sync, and the sync (<c>Sync/</c>) on both.
/// </summary>
public sealed class ArchitectureTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    [Theory]
    [InlineData("Jobkore.Core.Data", "Jobkore.Core.Sync")]
    [InlineData("Jobkore.Core.SyncState", "Jobkore.Core.Data")]
    [InlineData("Jobkore.Core.SyncState", "Jobkore.Core.Sync")]
    public void Types_InNamespace_ReferToNoTypeOfTheForbiddenOne(string namespaceName, string forbidden)
    {
        // Nested and compiler-generated types (closures, async state machines, file-local types) included.
        var types = typeof(JobkoreDbContext).Assembly.GetTypes().Where(t => IsIn(t, namespaceName)).ToList();

        var offenders = types
            .SelectMany(t => References(t).SelectMany(r => Expand(r.Type).Where(x => IsIn(x, forbidden)).Select(x => $"{t.FullName} → {x.FullName} ({r.Via})")))
            .Distinct()
            .ToList();

        types.ShouldNotBeEmpty($"no type of Jobkore.Core is in {namespaceName}");
        offenders.ShouldBeEmpty();
    }

    private static bool IsIn(Type type, string namespaceName) =>
        type.Namespace is { } ns && (ns == namespaceName || ns.StartsWith(namespaceName + ".", StringComparison.Ordinal));

    private static IEnumerable<(Type Type, string Via)> References(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return (baseType, "base type");
        }

        foreach (var face in type.GetInterfaces())
        {
            yield return (face, "interface");
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return (field.FieldType, $"field {field.Name}");
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return (property.PropertyType, $"property {property.Name}");
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return (info.ReturnType, $"return of {method.Name}");
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return (parameter.ParameterType, $"parameter {parameter.Name} of {method.Name}");
            }

            foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                yield return (local.LocalType, $"local in {method.Name}");
            }

            foreach (var used in UsedInBody(method))
            {
                yield return (used, $"used in {method.Name}");
            }
        }
    }

    /// <summary>The types whose members a method's IL calls, reads or creates.</summary>
    private static IEnumerable<Type> UsedInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? s_opCodes[(short)(0xFE00 | il[at + 1])] : s_opCodes[il[at]];
            at += code.Size;
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                if (member is Type used)
                {
                    yield return used;
                }
                else if (member?.DeclaringType is { } owner)
                {
                    yield return owner;
                }
            }

            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }

    /// <summary>A type and the types it is made of: element types of arrays and references, generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }
}
