// A module whose default export is not a server, for the bin's error path.
export default { name: 'nothing to serve' };
