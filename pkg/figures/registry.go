package figures

// All returns the registry: every figure and table, in the order INDEX.md
// and `tokendyn figures --list` show them. To add an artifact, write a file
// artifact_<name>.go with a constructor returning an Artifact and add one
// line here.
func All() []Artifact {
	return []Artifact{
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
		wt103DepthGapArtifact(),
		reorderTableArtifact(),
		reorderCurvesArtifact(),
		reorderImportanceArtifact(),
		reorderSharpnessArtifact(),
	}
}
