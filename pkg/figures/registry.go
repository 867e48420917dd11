package figures

// All returns the registry: every figure and table, in the order INDEX.md
// and `tokendyn figures --list` show them. To add an artifact, write a file
// artifact_<name>.go with a constructor returning an Artifact and add one
// line here.
func All() []Artifact {
	reg := []Artifact{
		tab1Artifact(),
		oneDScenariosArtifact(),
		convergenceRateArtifact(),
		divergenceRatesArtifact(),
		fig6Artifact(),
		phaseArtifact(),
		hiddenAttentionArtifact(),
		wt103TableArtifact(),
		wt103CurvesArtifact(),
		wt103SpectraArtifact(),
		wt103ComparisonsArtifact(),
		reorderTableArtifact(),
		reorderCurvesArtifact(),
		reorderImportanceArtifact(),
		reorderSharpnessArtifact(),
	}
	for i := range reg {
		if reg[i].Look == "" {
			reg[i].Look = lookDefault
		}
	}
	return reg
}

// lookDefault is what to look at in an artifact that does not say (the
// experiment artifacts, whose text their owner writes).
const lookDefault = "the paired differences and the verdict row"

// selectChecked is the registry reg (nil: All()), checked, and the
// artifacts of it that ids name (nil: all), for Build and Verify.
func selectChecked(reg []Artifact, ids []string) (all, sel []Artifact, err error) {
	if reg == nil {
		reg = All()
	}
	if err := CheckRegistry(reg); err != nil {
		return nil, nil, err
	}
	sel, err = Select(reg, ids)
	return reg, sel, err
}
