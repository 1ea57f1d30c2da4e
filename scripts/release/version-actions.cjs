// nx release's version actions for our npm packages (Nx's own live in @nx/js, which has no release matching our Nx):
// versions and internal dependency ranges in package.json, the current version read from package.json or the
// registry; a package's per-platform packages (native/npm/<triple>/, not workspaces) move with it.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { VersionActions } = require('nx/release');

const GROUPS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

function readJson(tree, path) {
  return JSON.parse(tree.read(path, 'utf-8'));
}
function writeJson(tree, path, value) {
  tree.write(path, `${JSON.stringify(value, null, 2)}\n`);
}

class PackageJsonVersionActions extends VersionActions {
  validManifestFilenames = ['package.json'];

  get manifest() {
    return join(this.projectGraphNode.data.root, 'package.json');
  }

  async readCurrentVersionFromSourceManifest(tree) {
    return { currentVersion: readJson(tree, this.manifest).version, manifestPath: this.manifest };
  }

  async readCurrentVersionFromRegistry(tree, metadata) {
    const name = readJson(tree, this.manifest).name;
    const registry = metadata?.registry ?? process.env.npm_config_registry;
    const tag = metadata?.tag ?? 'latest';
    const args = ['view', `${name}@${tag}`, 'version', ...(registry ? ['--registry', registry] : [])];
    try {
      return {
        currentVersion: execFileSync('npm', args, { encoding: 'utf8' }).trim() || null,
        logText: `npm view ${name}@${tag}`,
      };
    } catch {
      return { currentVersion: null, logText: `npm view ${name}@${tag}: not published` };
    }
  }

  async readCurrentVersionOfDependency(tree, projectGraph, dependencyProjectName) {
    const pkg = readJson(tree, this.manifest);
    const depName = readJson(tree, join(projectGraph.nodes[dependencyProjectName].data.root, 'package.json')).name;
    for (const group of GROUPS)
      if (pkg[group]?.[depName]) return { currentVersion: pkg[group][depName], dependencyCollection: group };
    return { currentVersion: null, dependencyCollection: null };
  }

  /** native/npm/<triple>/package.json beside native/package.json: published with it, at its version. */
  platformManifests(tree) {
    const dir = join(this.projectGraphNode.data.root, 'npm');
    if (!tree.exists(dir)) return [];
    return tree
      .children(dir)
      .map((triple) => join(dir, triple, 'package.json'))
      .filter((path) => tree.exists(path));
  }

  async updateProjectVersion(tree, newVersion) {
    const logs = [];
    for (const path of [this.manifest, ...this.platformManifests(tree)]) {
      const pkg = readJson(tree, path);
      pkg.version = newVersion;
      writeJson(tree, path, pkg);
      logs.push(`${pkg.name}: version ${newVersion}`);
    }
    return logs;
  }

  async updateProjectDependencies(tree, projectGraph, dependenciesToUpdate) {
    const pkg = readJson(tree, this.manifest);
    const logs = [];
    for (const [project, version] of Object.entries(dependenciesToUpdate)) {
      const depName = readJson(tree, join(projectGraph.nodes[project].data.root, 'package.json')).name;
      for (const group of GROUPS)
        if (pkg[group]?.[depName] !== undefined) {
          pkg[group][depName] = version;
          logs.push(`${pkg.name}: ${group}.${depName} ${version}`);
        }
    }
    writeJson(tree, this.manifest, pkg);
    return logs;
  }
}

module.exports = PackageJsonVersionActions;
module.exports.default = PackageJsonVersionActions;
